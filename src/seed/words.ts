/**
 * The generator's word lists: everything it picks names, places and labels from. Arrays are
 * inlined into the SQL as constants; a value repeated in a list is picked that much more often.
 */
import { AttachmentKind, LIVE_CONVERSATION } from "../sessions";

/** Expands [value, weight] pairs so a uniform pick is a weighted one. */
export function weighted<T>(pairs: [T, number][]): T[] {
  return pairs.flatMap(([value, weight]) => Array<T>(weight).fill(value));
}

// People and companies.

export const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
  "Mia", "Mateo", "Amelia", "Ethan", "Harper", "Aiden", "Evelyn", "Leo", "Aria", "Kai",
  "Chloe", "Yusuf", "Priya", "Arjun", "Mei", "Hiroshi", "Sakura", "Chen", "Fatima", "Omar",
  "Zoë", "Søren", "Anaïs", "José", "Lucía", "Mateus", "Ana", "João", "Ingrid", "Lars",
  "Nadia", "Ivan", "Olga", "Kwame", "Amara", "Chidi", "Aisha", "Tomás", "Camille", "Hugo",
];
export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen",
  "O'Brien", "Müller", "Schmidt", "Dubois", "Rossi", "Nakamura", "Kim", "Patel", "Singh", "Nguyen",
  "Kowalski", "Novak", "Jensen", "Andersson", "Silva", "Santos", "Okafor", "Mensah", "Ivanova", "Cohen",
];
export const COMPANY_PREFIXES = [
  "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Cyberdyne", "Soylent",
  "Tyrell", "Aperture", "Black Mesa", "Vandelay", "Pied Piper", "Dunder", "Prestige", "Massive", "Oscorp", "Gringotts",
  "Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Proseware", "Adventure", "Blue Yonder", "Coho", "Wingtip",
  "Lucerne", "Margie's", "Trey", "Woodgrove", "Alpine", "Fourth Coffee", "Humongous", "Bellows", "Graphic", "Southridge",
];
export const COMPANY_SUFFIXES = ["Labs", "Industries", "Systems", "Group", "Holdings", "Technologies", "Partners", "Media", "Health", "Logistics", "Analytics", "Studios"];

// Places and profiles.

/** ISO country codes, repeated by weight; NULL means unknown. */
export const COUNTRIES = weighted<string | null>([
  ["US", 30], ["GB", 8], ["DE", 8], ["IN", 8], ["FR", 6], ["CA", 5], ["BR", 5], ["JP", 4], ["AU", 3], ["NL", 3],
  ["ES", 3], ["IT", 3], ["KR", 2], ["SE", 2], ["PL", 2], ["MX", 2], ["SG", 2], ["ZA", 1], ["NG", 1], ["DK", 1], [null, 5],
]);
export const TAGS = ["beta-tester", "enterprise", "trial", "vip", "speaker", "sponsor", "early-adopter", "partner"];
export const PLANS = ["free", "free", "pro", "pro", "pro", "enterprise"];
export const CITIES = ["New York", "London", "Berlin", "Bengaluru", "Paris", "Toronto", "São Paulo", "Tokyo", "Sydney", "Amsterdam", "Madrid", "Seoul"];
export const JOB_TITLES = ["Product Manager", "UX Researcher", "Software Engineer", "Designer", "Marketing Lead", "Data Analyst", "QA Engineer", "Customer Success"];

// Test runs.

/** The test type of every RESERVED session. */
export { LIVE_CONVERSATION };
export const TEST_AREAS = ["Checkout flow", "Onboarding", "Search", "Account settings", "Payments", "Product page", "Booking", "Dashboard", "Sign-up", "Notifications"];
export const TEST_KINDS = ["first impressions", "usability", "task completion", "navigation", "accessibility review", "A/B comparison"];
export const TEST_TYPES = ["Unmoderated", "Unmoderated", "Interaction Test", "Think-out-loud", LIVE_CONVERSATION];
export const TEMPLATES: (string | null)[] = ["Website usability", "Mobile app first impressions", "Prototype test", "Competitor benchmark", null, null];
export const BOOKED_MINUTES = weighted([[5, 1], [10, 2], [15, 4], [20, 3], [30, 4], [45, 2], [60, 2]]);
export const REMOVED_REASONS_COMPLETED = ["Replaced by another session", "Hidden: contained personally identifiable information"];
export const REFUND_REASONS = ["Refunded after a low rating", "Refunded on request"];
export const TOKEN_LABELS = ["CI pipeline", "Nightly regression", "Release smoke tests", "Staging monitor"];
export const ANONYMOUS_LABELS = ["Anonymous run (public link)", "Guest tester", "Anonymous kiosk session"];

/** Attachment files by kind, with their size range in bytes. */
export const ATTACHMENT_FILES = [
  { kind: AttachmentKind.LOG, file: "device.log", type: "text/plain", min: 2_000, max: 2_000_000 },
  { kind: AttachmentKind.VIDEO, file: "recording.mp4", type: "video/mp4", min: 5_000_000, max: 500_000_000 },
  { kind: AttachmentKind.SCREENSHOT, file: "screenshot.png", type: "image/png", min: 50_000, max: 2_000_000 },
  { kind: AttachmentKind.OTHER, file: "network.har", type: "application/json", min: 10_000, max: 5_000_000 },
];
