/** The apps and devices the generated sessions run on, and their networks. */
import { weighted } from "./words";

export interface App { id: string; name: string; group: string; platform: "ios" | "android" | "web"; major: number }
export const APPS: App[] = [
  { id: "com.acme.shop", name: "Acme Shop", group: "Retail", platform: "ios", major: 5 },
  { id: "com.acme.shop.android", name: "Acme Shop", group: "Retail", platform: "android", major: 5 },
  { id: "shop.acme.example", name: "Acme Shop Web", group: "Retail", platform: "web", major: 12 },
  { id: "com.northwind.banking", name: "Northwind Banking", group: "Finance", platform: "ios", major: 8 },
  { id: "com.northwind.banking.android", name: "Northwind Banking", group: "Finance", platform: "android", major: 8 },
  { id: "com.contoso.health", name: "Contoso Health", group: "Healthcare", platform: "ios", major: 3 },
  { id: "portal.contoso.example", name: "Contoso Health Portal", group: "Healthcare", platform: "web", major: 2 },
  { id: "com.fabrikam.travel", name: "Fabrikam Travel", group: "Travel", platform: "android", major: 4 },
  { id: "travel.fabrikam.example", name: "Fabrikam Travel", group: "Travel", platform: "web", major: 7 },
  { id: "com.globex.learning", name: "Globex Learning", group: "Education", platform: "ios", major: 2 },
  { id: "learn.globex.example", name: "Globex Learning", group: "Education", platform: "web", major: 6 },
  { id: "com.initech.fieldservice", name: "Initech Field Service", group: "Internal tools", platform: "android", major: 1 },
  { id: "com.umbrella.insurance", name: "Umbrella Insurance", group: "Finance", platform: "ios", major: 6 },
  { id: "quote.umbrella.example", name: "Umbrella Insurance", group: "Finance", platform: "web", major: 3 },
];

export interface Device { type: string; model: string; os: string; versions: string[]; browsers: string[]; mobile: boolean }
export const DEVICES: Device[] = [
  { type: "iPhone 15", model: "iPhone15,4", os: "iOS", versions: ["17.4", "17.5", "17.6", "18.0", "18.1"], browsers: ["Safari 17.5", "Safari 18.0"], mobile: true },
  { type: "iPhone 15 Pro", model: "iPhone16,1", os: "iOS", versions: ["17.5", "18.0", "18.1"], browsers: ["Safari 17.5", "Safari 18.0"], mobile: true },
  { type: "iPhone 14", model: "iPhone14,7", os: "iOS", versions: ["16.7", "17.4", "17.5", "18.0"], browsers: ["Safari 17.4"], mobile: true },
  { type: "iPhone 13", model: "iPhone14,5", os: "iOS", versions: ["16.6", "16.7", "17.4"], browsers: ["Safari 16.6"], mobile: true },
  { type: "iPhone SE", model: "iPhone14,6", os: "iOS", versions: ["16.7", "17.4"], browsers: ["Safari 17.4"], mobile: true },
  { type: "iPad Air", model: "iPad13,16", os: "iPadOS", versions: ["17.4", "18.0"], browsers: ["Safari 17.4"], mobile: true },
  { type: "Pixel 8", model: "Google Pixel 8", os: "Android", versions: ["14", "15"], browsers: ["Chrome 126.0", "Chrome 128.0"], mobile: true },
  { type: "Pixel 7", model: "Google Pixel 7", os: "Android", versions: ["13", "14"], browsers: ["Chrome 125.0"], mobile: true },
  { type: "Galaxy S24", model: "SM-S921B", os: "Android", versions: ["14"], browsers: ["Samsung Internet 25.0", "Chrome 126.0"], mobile: true },
  { type: "Galaxy S23", model: "SM-S911B", os: "Android", versions: ["13", "14"], browsers: ["Samsung Internet 24.0", "Chrome 125.0"], mobile: true },
  { type: "Galaxy A54", model: "SM-A546B", os: "Android", versions: ["13", "14"], browsers: ["Chrome 124.0"], mobile: true },
  { type: "OnePlus 12", model: "CPH2581", os: "Android", versions: ["14"], browsers: ["Chrome 126.0"], mobile: true },
  { type: "Galaxy Tab S9", model: "SM-X710", os: "Android", versions: ["13", "14"], browsers: ["Chrome 125.0"], mobile: true },
  { type: "Desktop", model: "Windows PC", os: "Windows", versions: ["10", "11"], browsers: ["Chrome 124.0", "Chrome 126.0", "Edge 125.0", "Firefox 127.0"], mobile: false },
  { type: "Desktop", model: "MacBook Pro", os: "macOS", versions: ["13.6", "14.4", "14.5", "15.0"], browsers: ["Safari 17.5", "Chrome 126.0", "Firefox 127.0"], mobile: false },
  { type: "Desktop", model: "Linux PC", os: "Ubuntu", versions: ["22.04", "24.04"], browsers: ["Firefox 126.0", "Chrome 125.0"], mobile: false },
];
/** Indexes into DEVICES of the devices a platform runs on, repeated by weight. */
const deviceIndexes = (pred: (d: Device) => boolean, weight = (_d: Device) => 1) =>
  weighted(DEVICES.map((d, i) => [i, pred(d) ? weight(d) : 0] as [number, number]));
export const IOS_DEVICES = deviceIndexes((d) => d.os === "iOS" || d.os === "iPadOS", (d) => (d.type === "iPad Air" ? 1 : 3));
export const ANDROID_DEVICES = deviceIndexes((d) => d.os === "Android", (d) => (d.type.startsWith("Galaxy Tab") ? 1 : 3));
export const WEB_DEVICES = deviceIndexes((d) => !d.mobile || ["iPhone 15", "Pixel 8", "Galaxy S23"].includes(d.type), (d) => (d.mobile ? 1 : 4));
export const MOBILE_NETWORKS = ["WiFi", "WiFi", "WiFi", "5G", "4G LTE", "4G LTE", "3G"];
export const DESKTOP_NETWORKS = ["WiFi", "WiFi", "Ethernet"];
