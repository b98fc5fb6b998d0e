/**
 * The large-data generator behind `npm run seed`: one organization named `Generated (seed S)`
 * with N companies, users, sessions, attachments and activities, written by set-based SQL
 * (`INSERT ... SELECT ... FROM generate_series`) in chunks so progress can be reported.
 *
 * Deterministic: every id comes from `md5(seed:kind:index)` (organizations, companies and users
 * shaped as v4 UUIDs; sessions, attachments and activities as time-ordered v7 UUIDs, see
 * Sql.uuid7), every value from `hashint8extended(index, seed salt)` bits (never `random()`), and
 * every time is measured from a fixed anchor, so the same arguments give the same rows on every
 * machine.
 *
 * Time model (the product's sessionization rule, "a session starts after more than 30 minutes
 * of inactivity", holds by construction):
 * - the window is the 365 days before GENERATED_ANCHOR (longer only if a user has so many
 *   sessions that they would not fit);
 * - a user with n sessions has the window cut into n equal slots; session k is launched inside
 *   slot k and its whole life (queue, activities, completion) ends at least 31 minutes before
 *   slot k + 1 starts;
 * - only started sessions of users have activities; they are spaced by `step` plus a jitter
 *   below step / 2, with step <= 15 minutes, so consecutive activities are at most 22.5 minutes
 *   apart and all lie between started_at and completed_at (or the slot's end while in progress).
 */
import { createHash } from "node:crypto";
import type { DataSource, QueryRunner } from "typeorm";
import { updateSessionActivitySpans } from "./activity-spans";

export interface GenerateOptions {
  companies: number;
  users: number;
  sessions: number;
  activities: number;
  seed: number;
}

export interface GenerateResult {
  organizationId: string;
  adminUserId: string;
  counts: { companies: number; users: number; sessions: number; activities: number };
}

export type GenerateProgress = (phase: string, done: number, total: number) => void;

/** Every generated time lies in the 365 days before this instant. */
export const GENERATED_ANCHOR = "2026-11-01T00:00:00.000Z";
/** Rows per INSERT statement (and per progress step). */
export const ACTIVITY_CHUNK = 100_000;
export const SESSION_CHUNK = 50_000;
export const MAX_SEED = 2_147_483_647;

/** The name of the organization a seed generates into. */
export function generatedOrganizationName(seed: number): string {
  return `Generated (seed ${seed})`;
}

/** Problems with the options, in words a CLI user can act on; empty when they are valid. */
export function validateGenerateOptions(options: GenerateOptions): string[] {
  const problems: string[] = [];
  for (const key of ["companies", "users", "sessions", "activities", "seed"] as const) {
    const value = options[key];
    if (!Number.isSafeInteger(value) || value < 0) problems.push(`${key} must be a non-negative integer, got ${value}`);
  }
  if (problems.length > 0) return problems;
  if (options.seed > MAX_SEED) problems.push(`seed must be at most ${MAX_SEED}`);
  if (options.users > 10_000_000 || options.sessions > 100_000_000 || options.activities > 2_000_000_000) {
    problems.push("counts are beyond what the generator supports (users <= 10M, sessions <= 100M, activities <= 2G)");
  }
  if (options.sessions > 0 && options.users === 0) problems.push("sessions need at least one user");
  if (options.activities > 0 && options.sessions === 0) problems.push("activities need at least one session");
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Everything the generator picks from; arrays are inlined into the SQL as constants.
// ---------------------------------------------------------------------------------------------

const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
  "Mia", "Mateo", "Amelia", "Ethan", "Harper", "Aiden", "Evelyn", "Leo", "Aria", "Kai",
  "Chloe", "Yusuf", "Priya", "Arjun", "Mei", "Hiroshi", "Sakura", "Chen", "Fatima", "Omar",
  "Zoë", "Søren", "Anaïs", "José", "Lucía", "Mateus", "Ana", "João", "Ingrid", "Lars",
  "Nadia", "Ivan", "Olga", "Kwame", "Amara", "Chidi", "Aisha", "Tomás", "Camille", "Hugo",
];
const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen",
  "O'Brien", "Müller", "Schmidt", "Dubois", "Rossi", "Nakamura", "Kim", "Patel", "Singh", "Nguyen",
  "Kowalski", "Novak", "Jensen", "Andersson", "Silva", "Santos", "Okafor", "Mensah", "Ivanova", "Cohen",
];
const COMPANY_PREFIXES = [
  "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Cyberdyne", "Soylent",
  "Tyrell", "Aperture", "Black Mesa", "Vandelay", "Pied Piper", "Dunder", "Prestige", "Massive", "Oscorp", "Gringotts",
  "Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Proseware", "Adventure", "Blue Yonder", "Coho", "Wingtip",
  "Lucerne", "Margie's", "Trey", "Woodgrove", "Alpine", "Fourth Coffee", "Humongous", "Bellows", "Graphic", "Southridge",
];
const COMPANY_SUFFIXES = ["Labs", "Industries", "Systems", "Group", "Holdings", "Technologies", "Partners", "Media", "Health", "Logistics", "Analytics", "Studios"];

/** ISO country codes, repeated by weight; NULL means unknown. */
const COUNTRIES = weighted<string | null>([
  ["US", 30], ["GB", 8], ["DE", 8], ["IN", 8], ["FR", 6], ["CA", 5], ["BR", 5], ["JP", 4], ["AU", 3], ["NL", 3],
  ["ES", 3], ["IT", 3], ["KR", 2], ["SE", 2], ["PL", 2], ["MX", 2], ["SG", 2], ["ZA", 1], ["NG", 1], ["DK", 1], [null, 5],
]);
const TAGS = ["beta-tester", "enterprise", "trial", "vip", "speaker", "sponsor", "early-adopter", "partner"];
const PLANS = ["free", "free", "pro", "pro", "pro", "enterprise"];
const CITIES = ["New York", "London", "Berlin", "Bengaluru", "Paris", "Toronto", "São Paulo", "Tokyo", "Sydney", "Amsterdam", "Madrid", "Seoul"];
const JOB_TITLES = ["Product Manager", "UX Researcher", "Software Engineer", "Designer", "Marketing Lead", "Data Analyst", "QA Engineer", "Customer Success"];

interface App { id: string; name: string; group: string; platform: "ios" | "android" | "web"; major: number }
const APPS: App[] = [
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

interface Device { type: string; model: string; os: string; versions: string[]; browsers: string[]; mobile: boolean }
const DEVICES: Device[] = [
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
const deviceIndexes = (pred: (d: Device) => boolean, weight = (_d: Device) => 1) =>
  weighted(DEVICES.map((d, i) => [i, pred(d) ? weight(d) : 0] as [number, number]));
const IOS_DEVICES = deviceIndexes((d) => d.os === "iOS" || d.os === "iPadOS", (d) => (d.type === "iPad Air" ? 1 : 3));
const ANDROID_DEVICES = deviceIndexes((d) => d.os === "Android", (d) => (d.type.startsWith("Galaxy Tab") ? 1 : 3));
const WEB_DEVICES = deviceIndexes((d) => !d.mobile || ["iPhone 15", "Pixel 8", "Galaxy S23"].includes(d.type), (d) => (d.mobile ? 1 : 4));
const MOBILE_NETWORKS = ["WiFi", "WiFi", "WiFi", "5G", "4G LTE", "4G LTE", "3G"];
const DESKTOP_NETWORKS = ["WiFi", "WiFi", "Ethernet"];

const TEST_AREAS = ["Checkout flow", "Onboarding", "Search", "Account settings", "Payments", "Product page", "Booking", "Dashboard", "Sign-up", "Notifications"];
const TEST_KINDS = ["first impressions", "usability", "task completion", "navigation", "accessibility review", "A/B comparison"];
const TEST_TYPES = ["Unmoderated", "Unmoderated", "Interaction Test", "Think-out-loud", "Live Conversation"];
const TEMPLATES: (string | null)[] = ["Website usability", "Mobile app first impressions", "Prototype test", "Competitor benchmark", null, null];
const BOOKED_MINUTES = weighted([[5, 1], [10, 2], [15, 4], [20, 3], [30, 4], [45, 2], [60, 2]]);
const REMOVED_REASONS_COMPLETED = ["Replaced by another session", "Hidden: contained personally identifiable information"];
const REFUND_REASONS = ["Refunded after a low rating", "Refunded on request"];
const TOKEN_LABELS = ["CI pipeline", "Nightly regression", "Release smoke tests", "Staging monitor"];
const ANONYMOUS_LABELS = ["Anonymous run (public link)", "Guest tester", "Anonymous kiosk session"];

const STATUSES = ["PENDING", "RESERVED", "ACCEPTED", "STARTED", "PROBLEM", "ON_HOLD", "UPLOADING", "UPLOADED", "COMPLETED", "EXPIRED", "REFUNDED", "CANCELED"] as const;
type Status = (typeof STATUSES)[number];
/** The 12 most recent user sessions get these, so every status exists whenever sessions >= 12. */
const FORCED_STATUSES: Status[] = ["COMPLETED", "PENDING", "STARTED", "RESERVED", "ACCEPTED", "PROBLEM", "ON_HOLD", "UPLOADING", "UPLOADED", "EXPIRED", "REFUNDED", "CANCELED"];
/** A user's last session launched in the final two weeks: often still open. */
const RECENT_STATUS_WEIGHTS = weighted<Status>([
  ["PENDING", 14], ["RESERVED", 5], ["ACCEPTED", 8], ["STARTED", 8], ["PROBLEM", 3], ["ON_HOLD", 3],
  ["UPLOADING", 4], ["UPLOADED", 4], ["COMPLETED", 44], ["EXPIRED", 3], ["REFUNDED", 1], ["CANCELED", 3],
]);
/** Older sessions have mostly reached a final status; a few are stuck. */
const OLD_STATUS_WEIGHTS = weighted<Status>([
  ["COMPLETED", 150], ["EXPIRED", 10], ["REFUNDED", 7], ["CANCELED", 10], ["PROBLEM", 2], ["ON_HOLD", 2], ["UPLOADED", 1],
]);
const STARTED_STATUSES: Status[] = ["STARTED", "PROBLEM", "ON_HOLD", "UPLOADING", "UPLOADED", "COMPLETED", "REFUNDED"];
const COMPLETED_STATUSES: Status[] = ["COMPLETED", "REFUNDED"];
const PENDING_UNIT_STATUSES: Status[] = ["PENDING", "RESERVED", "ACCEPTED"];

const ATTACHMENTS = [
  { kind: "LOG", file: "device.log", type: "text/plain", min: 2_000, max: 2_000_000 },
  { kind: "VIDEO", file: "recording.mp4", type: "video/mp4", min: 5_000_000, max: 500_000_000 },
  { kind: "SCREENSHOT", file: "screenshot.png", type: "image/png", min: 50_000, max: 2_000_000 },
  { kind: "OTHER", file: "network.har", type: "application/json", min: 10_000, max: 5_000_000 },
];

/** Content pages (the "where" of an activity), from the activity catalogue's content types. */
const CONTENT: { type: string; name: string }[] = [
  ["OTSession", "Opening Keynote"], ["OTSession", "Product Roadmap 2026"], ["OTSession", "Scaling Research Ops"],
  ["OTSession", "Live Q&A with the Founders"], ["OTSession", "Designing for Accessibility"], ["OTSession", "Metrics that Matter"],
  ["OTSession", "Customer Panel: Lessons Learned"], ["OTSession", "Closing Remarks"], ["IRLSession", "Berlin Meetup"],
  ["IRLSession", "London Workshop Day"], ["IRLSession", "New York Networking Breakfast"], ["BreakoutOTSession", "Breakout: Mobile Testing"],
  ["BreakoutOTSession", "Breakout: Survey Design"], ["GroupOTSession", "Office Hours"], ["GroupOTSession", "1:1 with an Expert"],
  ["Course", "Research Fundamentals"], ["Course", "Advanced Usability Testing"], ["Course", "Analytics for Product Teams"],
  ["Course", "Writing Great Tasks"], ["Lesson", "Choosing Participants"], ["Lesson", "Writing Screener Questions"],
  ["Lesson", "Analyzing Recordings"], ["Lesson", "Sharing Insights"], ["Lesson", "Building a Research Repository"],
  ["Video", "Five-minute Product Tour"], ["Video", "Customer Story: Northwind"], ["Video", "Release Highlights"],
  ["Document", "Research Plan Template"], ["Document", "Accessibility Checklist"], ["Document", "Pricing Overview"],
].map(([type, name]) => ({ type, name }));
const contentId = (name: string) => `cnt_${createHash("md5").update(`content:${name}`).digest("hex").slice(0, 10)}`;
const slugify = (name: string) => name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** Label texts by kind ("[Answer text]", "[Chat message text]" ... in the catalogue). */
const LABELS: Record<string, string[]> = {
  chat: ["Hi everyone!", "Can you share the slides?", "Great point about onboarding.", "Audio is a bit choppy on my side.", "Thanks, this was really helpful!", "Where can I find the recording?", "+1 to the previous question", "Looking forward to the Q&A."],
  question: ["How does this integrate with our SSO?", "Is there a mobile version?", "When will the recording be available?", "Can we export this data to CSV?", "What is the pricing for larger teams?"],
  qa: ["How often do you test? Weekly", "How often do you test? Monthly", "Which plan are you on? Pro", "Would you recommend us? Yes", "Would you recommend us? Maybe"],
  answer: ["Yes", "No", "Maybe later", "Weekly", "Monthly", "Option A", "Option B", "Strongly agree", "Somewhat agree", "Neutral", "Disagree"],
  response: ["Email, Slack", "Mobile, Desktop", "Interviews, Surveys, Analytics", "None of the above"],
  emoji: ["Love", "Clap", "Laugh", "Thumbs up", "Wow", "Celebrate"],
  review: ["Rating: 5 / Excellent session, very practical.", "Rating: 4 / Good content, a bit long.", "Rating: 3 / Okay overall.", "Rating: 5 / Best talk of the day!", "Rating: 2 / Audio problems made it hard to follow."],
  comment: ["Really useful, thanks!", "Could you add more examples?", "The second half was the best part.", "Bookmarking this for my team."],
  report: ["Attendance report", "Engagement report", "Content report", "Registration report"],
  file: ["Slides.pdf", "Workbook.xlsx", "Checklist.docx", "Transcript.txt", "Brand guidelines.pdf"],
  post: ["Excited to be here this year!", "Who else is joining the workshop tomorrow?", "Sharing my notes from the keynote.", "Any recommendations for research tools?"],
  postComment: ["1042 Totally agree!", "1043 See you there.", "1051 Thanks for sharing.", "1060 Great list."],
  topic: ["Research operations", "Recruiting participants", "Accessibility", "Tooling and integrations"],
  notification: ["Your session starts in 15 minutes", "New reply to your post", "You earned a certificate", "New content is available"],
  message: ["Hi, nice to meet you!", "Shall we schedule a call?", "Thanks for connecting.", "I sent you the document."],
  adminTab: ["Content", "Users", "Analytics", "Settings"],
  certificate: ["Research Fundamentals certificate", "Usability Testing certificate"],
  creditSlug: ["research-fundamentals", "advanced-usability-testing", "analytics-for-product-teams"],
};
const LABEL_KINDS = Object.keys(LABELS);

/** The activity catalogue: category (null: "Content - <type>" of a content page), action, label kind, weight. */
const CATALOGUE: [string | null, string, string | null, number][] = [
  ["User", "Log In", null, 0], // placed at the start of sessions, not drawn
  ["User", "Log Out", null, 0], // placed at the end of sessions, not drawn
  ["Page", "View", null, 300],
  ["Page", "Leave", null, 60],
  [null, "View", null, 200],
  [null, "Click", null, 40],
  [null, "Join", null, 30],
  [null, "Leave", null, 40],
  [null, "Watch", null, 60],
  [null, "Play", null, 20],
  [null, "Like", null, 15],
  [null, "Complete", null, 15],
  [null, "Chat", "chat", 15],
  [null, "Question", "question", 5],
  [null, "Answer", "qa", 6],
  [null, "Emoji", "emoji", 10],
  [null, "Comment", "comment", 8],
  [null, "Review", "review", 3],
  [null, "Analytics", "report", 1],
  ["Question - Poll", "Answer", "answer", 15],
  ["Question - Multiple Choice", "Answer", "answer", 10],
  ["Question - Fill in the Blank", "Answer", "answer", 3],
  ["Question - Select Many", "Answer", "response", 3],
  ["Question - Rating", "Answer", null, 5],
  ["Question - Order", "Answer", null, 2],
  ["User", "View", null, 30],
  ["User", "Update", null, 5],
  ["User", "Like", null, 5],
  ["Download", "Download", "file", 15],
  ["Feed", "Post", "post", 6],
  ["Feed", "Comment", "postComment", 6],
  ["Forum", "Follow", "topic", 3],
  ["Forum", "Post", "post", 3],
  ["Notification", "View", "notification", 20],
  ["Notification", "Click", "notification", 8],
  ["Message", "Send Invite", null, 3],
  ["Message", "Message", "message", 12],
  ["Support Chat", "Open", null, 3],
  ["Support Chat", "Close", null, 3],
  ["Cohort", "View", null, 5],
  ["Admin", "View", "adminTab", 2],
  ["Admin", "Analytics", "report", 1],
  ["Continuing Education", "Earn", "creditSlug", 2],
  ["Continuing Education", "Download", "certificate", 1],
];
const LOG_IN = 0;
const LOG_OUT = 1;

// ---------------------------------------------------------------------------------------------
// SQL building blocks.
// ---------------------------------------------------------------------------------------------

/** Expands [value, weight] pairs so a uniform pick is a weighted one. */
function weighted<T>(pairs: [T, number][]): T[] {
  return pairs.flatMap(([value, weight]) => Array<T>(weight).fill(value));
}
const lit = (s: string | null) => (s === null ? "NULL" : `'${s.replace(/'/g, "''")}'`);
const textArray = (xs: readonly (string | null)[]) => `(ARRAY[${xs.map(lit).join(",")}]::text[])`;
const intArray = (xs: readonly number[]) => `('{${xs.join(",")}}'::int[])`;
const boolArray = (xs: readonly boolean[]) => `('{${xs.map((b) => (b ? "t" : "f")).join(",")}}'::bool[])`;
/** `array[1 + index]` for a 0-based index expression. */
const at = (array: string, index: string) => `${array}[1 + (${index})]`;

/** A list of variable-length lists as one flat array plus offsets and lengths. */
function flatten(lists: string[][]): { all: string; offset: string; count: string } {
  const offsets: number[] = [];
  let n = 0;
  for (const list of lists) {
    offsets.push(n);
    n += list.length;
  }
  return { all: textArray(lists.flat()), offset: intArray(offsets), count: intArray(lists.map((l) => l.length)) };
}

/** Purposes of the hash bits; each gets its own salt so values are independent. */
const SALT = {
  companyName: 1, companySignup: 2, userName: 3, userCompany: 4, userWeight: 5, userMisc: 6, userMisc2: 7,
  userSeen: 8, launch: 9, status: 10, session: 11, session2: 12, session3: 13, device: 14, activityWeight: 15,
  activity: 16, activity2: 17, attachment: 18, userCreated: 19,
} as const;

class Sql {
  readonly anchor = `'${GENERATED_ANCHOR}'::timestamptz`;
  constructor(readonly seed: number) {}

  /** A deterministic signed 64-bit hash of an integer expression. */
  hash(expr: string, salt: number): string {
    return `hashint8extended((${expr})::bigint, ${this.seed * 1000 + salt})`;
  }
  /** A uniform integer in [0, n) from 31 bits of `hash`, shifted right by `shift` bits. */
  pick(hash: string, n: number | string, shift = 0): string {
    return `((((${hash}) >> ${shift}) & 2147483647) % (${n}))`;
  }
  /** A uniform float in [0, 1) from 20 bits of `hash`, shifted right by `shift` bits. */
  frac(hash: string, shift = 0): string {
    return `((((${hash}) >> ${shift}) & 1048575)::float8 / 1048576.0)`;
  }
  /**
   * A stable, time-ordered id (UUID version 7 layout, RFC 9562): 48 bits of the row's time in
   * milliseconds, then bits of md5(seed:kind:index). Rows inserted in time order then land at
   * the right edge of their primary key index instead of on a random page.
   */
  uuid7(time: string, kind: string, index: string): string {
    return `overlay(overlay(overlay(md5('${this.seed}:${kind}:' || (${index}))
      placing lpad(to_hex((extract(epoch FROM ${time}) * 1000)::bigint), 12, '0') from 1) placing '7' from 13) placing '8' from 17)::uuid`;
  }
  /** A stable id of kind and index, formatted as a version-4 UUID. */
  uuid(kind: string, index: string): string {
    return `overlay(overlay(md5('${this.seed}:${kind}:' || (${index})) placing '4' from 13) placing '8' from 17)::uuid`;
  }
}

const secondsToInterval = (seconds: string) => `((${seconds}) * interval '1 second')`;

// ---------------------------------------------------------------------------------------------
// The generator.
// ---------------------------------------------------------------------------------------------

/**
 * Generates (or reuses) the organization `Generated (seed S)` with exactly the requested counts,
 * in one transaction. Reusing means the organization exists with these ids and counts; then
 * nothing is written. Otherwise an organization of that name is deleted first.
 */
export async function generateDataset(
  dataSource: DataSource,
  options: GenerateOptions,
  onProgress: GenerateProgress = () => {},
): Promise<GenerateResult> {
  const problems = validateGenerateOptions(options);
  if (problems.length > 0) throw new RangeError(problems.join("; "));
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Large temp tables (the session plan) stay in memory; allowed only before this
    // connection first touches a temporary table, so a refusal is fine.
    await runner.query(`SET temp_buffers = '512MB'`).catch(() => undefined);
    await runner.startTransaction();
    try {
      await runner.query(`SET LOCAL work_mem = '256MB'`);
      const result = await generateInTransaction(runner, options, onProgress);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  } finally {
    await runner.release();
  }
}

async function generateInTransaction(runner: QueryRunner, options: GenerateOptions, onProgress: GenerateProgress): Promise<GenerateResult> {
  const { seed, companies: C, users: U, sessions: N, activities: A } = options;
  const sql = new Sql(seed);
  const name = generatedOrganizationName(seed);
  const counts = { companies: C, users: U, sessions: N, activities: A };
  const query = async <T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]> => (await runner.query(text, params)) as T[];
  /** Runs a statement and returns how many rows it wrote. */
  const write = async (text: string, params?: unknown[]): Promise<number> => ((await runner.query(text, params, true)) as { affected?: number }).affected ?? 0;

  // Two runs of the same seed wait for each other instead of interleaving.
  await query(`SELECT pg_advisory_xact_lock(hashtext('sessiongraph:generate'), $1)`, [seed]);

  const [{ org_id: orgId, admin_id: adminId }] = await query<{ org_id: string; admin_id: string }>(
    `SELECT ${sql.uuid("organization", "0")}::text AS org_id, ${sql.uuid("user", "0")}::text AS admin_id`,
  );

  // Reuse when the organization is already there with these ids and counts.
  onProgress("check", 0, 1);
  const existing = await query<{ id: string }>(`SELECT id::text FROM organizations WHERE name = $1`, [name]);
  if (existing.length === 1 && existing[0].id === orgId) {
    const [have] = await query<{ companies: string; users: string; sessions: string; activities: string; admin: boolean }>(
      `SELECT (SELECT count(*) FROM companies WHERE organization_id = $1) AS companies,
              (SELECT count(*) FROM users WHERE organization_id = $1) AS users,
              (SELECT count(*) FROM sessions WHERE organization_id = $1) AS sessions,
              (SELECT count(*) FROM activities WHERE organization_id = $1) AS activities,
              ${U > 0 ? `EXISTS (SELECT 1 FROM users WHERE organization_id = $1 AND id = $2 AND role = 'ADMIN')` : "true"} AS admin`,
      U > 0 ? [orgId, adminId] : [orgId],
    );
    if (Number(have.companies) === C && Number(have.users) === U && Number(have.sessions) === N && Number(have.activities) === A && have.admin) {
      onProgress("check", 1, 1);
      return { organizationId: orgId, adminUserId: U > 0 ? adminId : "", counts };
    }
  }
  onProgress("check", 1, 1);

  if (existing.length > 0) {
    // ON DELETE CASCADE would do, but deleting children first in bulk avoids one cascading
    // statement per session and per user.
    const ids = existing.map((o) => o.id);
    const tables = ["activities", "attachments", "sessions", "api_tokens", "users", "companies"];
    for (const [i, table] of tables.entries()) {
      onProgress("delete", i, tables.length + 1);
      await query(`DELETE FROM ${table} WHERE organization_id = ANY($1::uuid[])`, [ids]);
    }
    await query(`DELETE FROM organizations WHERE id = ANY($1::uuid[])`, [ids]);
    onProgress("delete", tables.length + 1, tables.length + 1);
  }

  // Every row below is consistent by construction (and the tests check it), so a superuser
  // skips the per-row foreign-key triggers for the rest of this transaction: they cost about
  // half of the load time and write a row lock (and WAL) for every referenced row. Set only
  // after the deletes above, whose cascades are triggers too.
  const [{ superuser }] = await query<{ superuser: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS superuser`);
  if (superuser) await query(`SET LOCAL session_replication_role = replica`);

  const anchor = sql.anchor;
  const org = `'${orgId}'::uuid`;
  await query(`INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, ${anchor} - interval '500 days')`, [orgId, name]);

  // --- companies ---------------------------------------------------------------------------
  const P = COMPANY_PREFIXES.length;
  const X = COMPANY_SUFFIXES.length;
  onProgress("companies", 0, C);
  await query(`
    CREATE TEMP TABLE seed_companies ON COMMIT DROP AS
    WITH combos AS (
      SELECT p, x, (row_number() OVER (ORDER BY md5('${seed}:company-name:' || p || ':' || x)) - 1)::int AS r
      FROM generate_series(0, ${P - 1}) p, generate_series(0, ${X - 1}) x
    ), named AS (
      SELECT i AS idx, ${sql.uuid("company", "i")} AS id,
             ${at(textArray(COMPANY_PREFIXES), "c.p")} || ' ' || ${at(textArray(COMPANY_SUFFIXES), "c.x")}
               || CASE WHEN i >= ${P * X} THEN ' ' || (i / ${P * X} + 1) ELSE '' END AS name,
             ${anchor} - interval '365 days' - ${secondsToInterval(sql.pick(sql.hash("i", SALT.companySignup), 120 * 86400))} AS signed_up_at
      FROM generate_series(0, ${C - 1}) i JOIN combos c ON c.r = i % ${P * X}
    )
    SELECT named.*, trim(both '-' from lower(regexp_replace(name, '[^A-Za-z0-9]+', '-', 'g'))) || '.example.com' AS domain
    FROM named`);
  await query(`CREATE UNIQUE INDEX ON seed_companies (idx)`);
  await query(`
    INSERT INTO companies (id, organization_id, name, signed_up_at, created_at)
    SELECT id, ${org}, name, signed_up_at::timestamptz(3), signed_up_at::timestamptz(3) FROM seed_companies ORDER BY idx`);
  onProgress("companies", C, C);

  // --- users -------------------------------------------------------------------------------
  // Users get a weight (0 for ~5%: they never run a session, else 1..40, the admin 30) and
  // sessions are dealt to them in proportion, by cumulative rounding so the total is exact.
  const M = N === 0 ? 0 : N - anonymousCount(N); // sessions run by users
  onProgress("users", 0, U);
  const hn = sql.hash("i", SALT.userName);
  const hw = sql.hash("i", SALT.userWeight);
  const hm = sql.hash("u.idx", SALT.userMisc);
  const hm2 = sql.hash("u.idx", SALT.userMisc2);
  // Plain ASCII local parts: accents folded, anything else dropped (Müller -> muller, O'Brien -> obrien).
  const slug = (e: string) => `regexp_replace(translate(lower(${e}), 'áàâãäåçéèêëíìîïñóòôõöøúùûüýÿ', 'aaaaaaceeeeiiiinoooooouuuuyy'), '[^a-z]', '', 'g')`;
  await query(`
    CREATE TEMP TABLE seed_users ON COMMIT DROP AS
    WITH b AS (
      SELECT i AS idx,
             ${at(textArray(FIRST_NAMES), sql.pick(hn, FIRST_NAMES.length))} AS first_name,
             ${at(textArray(LAST_NAMES), sql.pick(hn, LAST_NAMES.length, 24))} AS last_name,
             CASE WHEN ${C} = 0 THEN NULL WHEN i = 0 THEN 0
                  ELSE least(${Math.max(C - 1, 0)}, floor(${C} * power(${sql.frac(sql.hash("i", SALT.userCompany))}, 1.6)))::int END AS company_idx,
             CASE WHEN i = 0 THEN 30 WHEN ${sql.pick(hw, 20)} = 0 THEN 0 ELSE 1 + ${sql.pick(hw, 40, 8)} END::bigint AS w
      FROM generate_series(0, ${U - 1}) i
    )
    SELECT b.*, ${sql.uuid("user", "b.idx")} AS id, c.id AS company_id,
           ${slug("left(b.first_name, 1) || b.last_name")} || b.idx AS username,
           ${slug("b.first_name")} || '.' || ${slug("b.last_name")} || '.' || b.idx || '@' || coalesce(c.domain, 'example.com') AS email,
           (${M}::bigint * ((sum(b.w) OVER (ORDER BY b.idx))::bigint - b.w)) / (sum(b.w) OVER ())::bigint AS s_start,
           (${M}::bigint * (sum(b.w) OVER (ORDER BY b.idx))::bigint) / (sum(b.w) OVER ())::bigint AS s_end
    FROM b LEFT JOIN seed_companies c ON c.idx = b.company_idx`);
  await query(`CREATE UNIQUE INDEX ON seed_users (idx)`);
  await query(`
    INSERT INTO users (id, organization_id, company_id, first_name, last_name, email, username, country, role,
                       tags, properties, created_at)
    SELECT u.id, ${org}, u.company_id, u.first_name, u.last_name, u.email, u.username,
           ${at(textArray(COUNTRIES), sql.pick(hm, COUNTRIES.length))},
           (CASE WHEN u.idx = 0 THEN 'ADMIN' WHEN ${sql.pick(hm, 10, 8)} = 0 THEN 'DEVELOPER' ELSE 'MEMBER' END)::role,
           array_remove(ARRAY[${TAGS.map((tag, t) => `CASE WHEN ${sql.pick(hm2, 8, t * 3)} = 0 THEN ${lit(tag)} END`).join(", ")}], NULL),
           CASE WHEN ${sql.pick(hm, 10, 16)} = 0 THEN '{}'::jsonb ELSE jsonb_strip_nulls(jsonb_build_object(
             'plan', ${at(textArray(PLANS), sql.pick(hm, PLANS.length, 24))},
             'title', CASE WHEN ${sql.pick(hm, 3, 32)} > 0 THEN ${at(textArray(JOB_TITLES), sql.pick(hm, JOB_TITLES.length, 36))} END,
             'city', CASE WHEN ${sql.pick(hm, 2, 40)} = 0 THEN ${at(textArray(CITIES), sql.pick(hm2, CITIES.length, 32))} END,
             'phone', CASE WHEN ${sql.pick(hm, 4, 44)} = 0 THEN '+1 555 01' || lpad((u.idx % 100)::text, 2, '0') END,
             'linkedin', CASE WHEN ${sql.pick(hm2, 3, 40)} = 0 THEN 'https://www.linkedin.com/in/' || u.username END)) END,
           (${anchor} - interval '425 days' + ${secondsToInterval(sql.pick(sql.hash("u.idx", SALT.userCreated), 30 * 86400))})::timestamptz(3)
    FROM seed_users u ORDER BY u.idx`);
  onProgress("users", U, U);

  // --- session plan ------------------------------------------------------------------------
  onProgress("plan", 0, 3);
  const [{ max_n: maxN }] = await query<{ max_n: number }>(`SELECT coalesce(max(s_end - s_start), 0)::int AS max_n FROM seed_users`);
  // Each user's slot must hold a session plus a 31-minute gap: at least 3 hours per slot.
  const spanSeconds = Math.max(365 * 86400, maxN * 3 * 3600);
  const spanStart = `(${anchor} - ${secondsToInterval(String(spanSeconds))})`;
  const hl = sql.hash("s", SALT.launch);
  await query(`
    CREATE TEMP TABLE seed_slots ON COMMIT DROP AS
    SELECT q.*, (${spanStart} + ${secondsToInterval("q.launch_off")})::timestamptz(3) AS launched_at
    FROM (
      SELECT s AS idx, u.idx AS user_idx, u.id AS user_id, u.company_id, u.username,
             (s - u.s_start)::int AS k, (u.s_end - u.s_start)::int AS n,
             least(${spanSeconds}::float8 / (u.s_end - u.s_start) * 0.5, 36000::float8) AS maxwin,
             (s - u.s_start) * (${spanSeconds}::float8 / (u.s_end - u.s_start))
               + ${sql.frac(hl)} * (${spanSeconds}::float8 / (u.s_end - u.s_start) - least(${spanSeconds}::float8 / (u.s_end - u.s_start) * 0.5, 36000::float8) - 1860) AS launch_off
      FROM seed_users u CROSS JOIN LATERAL generate_series(u.s_start, u.s_end - 1) s
      UNION ALL
      SELECT s, NULL, NULL, NULL, NULL, 0, 1, 36000::float8, ${sql.frac(hl)} * (${spanSeconds} - 36000 - 1860)
      FROM generate_series(${M}, ${N - 1}) s
    ) q`);
  onProgress("plan", 1, 3);

  // Status: the 12 most recent user sessions cover every status; a user's last session in the
  // final two weeks is often still open; older ones have mostly reached a final status.
  const hs = sql.hash("idx", SALT.status);
  await query(`
    CREATE TEMP TABLE seed_status ON COMMIT DROP AS
    SELECT r.*, CASE
             WHEN r.recent_rank <= ${FORCED_STATUSES.length} THEN ${textArray(FORCED_STATUSES)}[r.recent_rank::int]
             WHEN r.user_idx IS NOT NULL AND r.k = r.n - 1 AND r.launched_at > ${anchor} - interval '14 days'
               THEN ${at(textArray(RECENT_STATUS_WEIGHTS), sql.pick(hs, RECENT_STATUS_WEIGHTS.length))}
             ELSE ${at(textArray(OLD_STATUS_WEIGHTS), sql.pick(hs, OLD_STATUS_WEIGHTS.length))}
           END AS status
    FROM (
      SELECT sl.*, CASE WHEN sl.user_idx IS NOT NULL
                   THEN row_number() OVER (PARTITION BY sl.user_idx IS NULL ORDER BY sl.launched_at DESC, sl.idx) END AS recent_rank
      FROM seed_slots sl
    ) r`);
  const [{ active }] = await query<{ active: number }>(
    `SELECT count(*)::int AS active FROM seed_status WHERE user_idx IS NOT NULL AND status = ANY(${textArray(STARTED_STATUSES)})`,
  );
  if (A > 0 && active === 0) throw new RangeError("activities need at least one started session of a user; raise --sessions");
  onProgress("plan", 2, 3);

  // Activities are dealt to started user sessions: one each when there are enough, the rest in
  // proportion to a per-session weight (cumulative rounding makes the total exact). They are
  // numbered in order of session start, so each chunk of activities is a slice of time, and
  // sessions are chunked in launch order: with time-ordered ids (see Sql.uuid7) every index
  // but the per-user ones grows at its right edge, which keeps the load fast.
  const base = A >= active ? 1 : 0;
  const rest = A - base * active;
  const h1 = sql.hash("st.idx", SALT.session);
  const total = "nullif((sum(w.aw) OVER ())::bigint, 0)";
  await query(`
    CREATE TEMP TABLE seed_sessions ON COMMIT DROP AS
    WITH q AS (
      SELECT st.*,
             (st.user_idx IS NOT NULL AND st.status = ANY(${textArray(STARTED_STATUSES)})) AS active,
             least(60 + power(${sql.frac(h1, 8)}, 3) * 10800, st.maxwin * 0.25) AS queue_s,
             20 + power(${sql.frac(h1, 28)}, 2) * 880 AS step_raw,
             ${at(intArray(BOOKED_MINUTES), sql.pick(h1, BOOKED_MINUTES.length, 48))} AS booked_min
      FROM seed_status st
    ), w AS (
      SELECT q.*,
             CASE WHEN q.active THEN 1 + ${sql.pick(sql.hash("q.idx", SALT.session), 30, 40)} ELSE 0 END::bigint AS aw,
             CASE WHEN q.status = ANY(${textArray(STARTED_STATUSES)})
                  THEN (q.launched_at + ${secondsToInterval("q.queue_s")})::timestamptz(3) END AS started_at
      FROM q
    ), c AS (
      SELECT w.*,
             CASE WHEN w.active THEN
               ${base} * (count(*) FILTER (WHERE w.active) OVER o - 1)
               + (${rest}::bigint * ((sum(w.aw) OVER o)::bigint - w.aw)) / ${total}
             ELSE 0 END AS act_offset,
             CASE WHEN w.active THEN
               ${base} + (${rest}::bigint * (sum(w.aw) OVER o)::bigint) / ${total}
                       - (${rest}::bigint * ((sum(w.aw) OVER o)::bigint - w.aw)) / ${total}
             ELSE 0 END::int AS act_count,
             ((row_number() OVER (ORDER BY w.launched_at, w.idx) - 1) / ${SESSION_CHUNK})::int AS sess_chunk
      FROM w WINDOW o AS (ORDER BY w.started_at, w.idx)
    ), t AS (
      SELECT c.*, least(c.step_raw, (c.maxwin - c.queue_s - 300) / greatest(c.act_count, 1)) AS step_s
      FROM c
    )
    SELECT t.*, ${sql.uuid7("t.launched_at", "session", "t.idx")} AS id,
           CASE WHEN t.act_count > 0 THEN (t.act_offset / ${ACTIVITY_CHUNK})::int END AS act_chunk,
           CASE WHEN t.status = ANY(${textArray(COMPLETED_STATUSES)}) THEN (t.started_at + ${secondsToInterval(`least(
               greatest(t.act_count * t.step_s + ${sql.frac(sql.hash("t.idx", SALT.session2))} * 300,
                        t.booked_min * 60 * (0.5 + 0.8 * ${sql.frac(sql.hash("t.idx", SALT.session2), 20)})),
               t.maxwin - t.queue_s)`)})::timestamptz(3) END AS completed_at
    FROM t`);
  await query(`CREATE INDEX ON seed_sessions (sess_chunk)`);
  await query(`CREATE INDEX ON seed_sessions (act_chunk)`);
  await query(`ANALYZE seed_sessions`);
  onProgress("plan", 3, 3);

  // --- sessions ----------------------------------------------------------------------------
  const sessionChunks = Math.ceil(N / SESSION_CHUNK);
  onProgress("sessions", 0, N);
  const hx = sql.hash("s.idx", SALT.session3);
  const hd = sql.hash("s.idx", SALT.device);
  const hu = sql.hash("coalesce(s.user_idx, s.idx)", SALT.device); // a user's usual app and device
  const nTests = Math.max(1, Math.floor(N / 25));
  const testIdx = sql.pick(hx, nTests);
  const appIdx = `CASE WHEN ${sql.pick(hd, 5)} = 0 THEN ${sql.pick(hd, APPS.length, 4)} ELSE ${sql.pick(hu, APPS.length)} END`;
  const platformDevices = (list: number[], h: string) => at(intArray(list), sql.pick(h, list.length, 20));
  const deviceIdx = `CASE ${at(textArray(APPS.map((a) => a.platform)), "d0.app")}
      WHEN 'ios' THEN ${platformDevices(IOS_DEVICES, `CASE WHEN ${sql.pick(hd, 5, 12)} = 0 THEN ${hd} ELSE ${hu} END`)}
      WHEN 'android' THEN ${platformDevices(ANDROID_DEVICES, `CASE WHEN ${sql.pick(hd, 5, 12)} = 0 THEN ${hd} ELSE ${hu} END`)}
      ELSE ${platformDevices(WEB_DEVICES, `CASE WHEN ${sql.pick(hd, 5, 12)} = 0 THEN ${hd} ELSE ${hu} END`)} END`;
  const versions = flatten(DEVICES.map((d) => d.versions));
  const browsers = flatten(DEVICES.map((d) => d.browsers));
  const anonymousUsers = Math.max(U, 1);
  for (let chunk = 0; chunk < sessionChunks; chunk++) {
    await write(`
      INSERT INTO sessions (id, organization_id, user_id, company_id, api_token_id, api_token_label, anonymous_label, status,
        test_id, test_name, test_type, template, short_test, contributor_username, app_id, app_name, app_group, app_build,
        device_type, device_model, os_name, os_version, browser_version, network_type,
        launched_at, started_at, completed_at, booked_duration_min, units_used, units_pending, removed, removed_reason,
        creator_id, launcher_id, approver_id, created_at)
      SELECT s.id, ${org}, s.user_id, s.company_id, NULL,
             CASE WHEN s.user_id IS NOT NULL AND ${sql.pick(hx, 33, 8)} = 0 THEN ${at(textArray(TOKEN_LABELS), sql.pick(hx, TOKEN_LABELS.length, 16))} END,
             CASE WHEN s.user_id IS NULL THEN ${at(textArray(ANONYMOUS_LABELS), sql.pick(hx, ANONYMOUS_LABELS.length, 16))} || ' #' || (1000 + ${sql.pick(hx, 9000, 20)}) END,
             s.status::session_status,
             'T-' || (10000 + ${testIdx}),
             ${at(textArray(TEST_AREAS), `${testIdx} % ${TEST_AREAS.length}`)} || ' — ' || ${at(textArray(TEST_KINDS), `(${testIdx} / ${TEST_AREAS.length}) % ${TEST_KINDS.length}`)}
               || CASE WHEN ${testIdx} >= ${TEST_AREAS.length * TEST_KINDS.length} THEN ' (round ' || (${testIdx} / ${TEST_AREAS.length * TEST_KINDS.length} + 1) || ')' ELSE '' END,
             CASE WHEN s.status = 'RESERVED' THEN 'Live Conversation' ELSE ${at(textArray(TEST_TYPES), `${testIdx} % ${TEST_TYPES.length}`)} END,
             ${at(textArray(TEMPLATES), `${testIdx} % ${TEMPLATES.length}`)},
             ${testIdx} % 5 = 0,
             CASE WHEN s.started_at IS NOT NULL THEN s.username END,
             ${at(textArray(APPS.map((a) => a.id)), "d.app")}, ${at(textArray(APPS.map((a) => a.name)), "d.app")},
             ${at(textArray(APPS.map((a) => a.group)), "d.app")},
             ${at(intArray(APPS.map((a) => a.major)), "d.app")} || '.' || (extract(epoch FROM s.launched_at - ${spanStart})::bigint / (30 * 86400)) || '.' || ${sql.pick(hd, 4, 24)}
               || ' (' || (1000 + extract(epoch FROM s.launched_at - ${spanStart})::bigint / 28800) || ')',
             ${at(textArray(DEVICES.map((d) => d.type)), "d.dev")}, ${at(textArray(DEVICES.map((d) => d.model)), "d.dev")},
             ${at(textArray(DEVICES.map((d) => d.os)), "d.dev")},
             ${versions.all}[1 + ${at(versions.offset, "d.dev")} + ${sql.pick(hd, `${at(versions.count, "d.dev")}`, 28)}],
             CASE WHEN ${at(textArray(APPS.map((a) => a.platform)), "d.app")} = 'web'
                  THEN ${browsers.all}[1 + ${at(browsers.offset, "d.dev")} + ${sql.pick(hd, `${at(browsers.count, "d.dev")}`, 34)}] END,
             CASE WHEN ${at(boolArray(DEVICES.map((d) => d.mobile)), "d.dev")}
                  THEN ${at(textArray(MOBILE_NETWORKS), sql.pick(hd, MOBILE_NETWORKS.length, 40))}
                  ELSE ${at(textArray(DESKTOP_NETWORKS), sql.pick(hd, DESKTOP_NETWORKS.length, 40))} END,
             s.launched_at, s.started_at, s.completed_at, s.booked_min,
             CASE WHEN s.status = 'COMPLETED' THEN ceil(s.booked_min / 15.0)::int ELSE 0 END,
             CASE WHEN s.status = ANY(${textArray(PENDING_UNIT_STATUSES)}) THEN ceil(s.booked_min / 15.0)::int ELSE 0 END,
             s.status IN ('REFUNDED', 'CANCELED') OR (s.status = 'COMPLETED' AND ${sql.pick(hx, 100, 44)} = 0),
             CASE WHEN s.status = 'REFUNDED' THEN ${at(textArray(REFUND_REASONS), sql.pick(hx, REFUND_REASONS.length, 52))}
                  WHEN s.status = 'CANCELED' THEN 'Pending session canceled'
                  WHEN s.status = 'COMPLETED' AND ${sql.pick(hx, 100, 44)} = 0 THEN ${at(textArray(REMOVED_REASONS_COMPLETED), sql.pick(hx, REMOVED_REASONS_COMPLETED.length, 52))} END,
             d.creator,
             CASE WHEN s.user_id IS NULL THEN d.creator ELSE s.user_id END,
             CASE WHEN s.status IN ('PENDING', 'RESERVED', 'ACCEPTED', 'EXPIRED', 'CANCELED') THEN NULL
                  WHEN ${sql.pick(hx, 3, 56)} = 0 THEN ${sql.uuid("user", "0")}
                  ELSE ${sql.uuid("user", sql.pick(hx, anonymousUsers, 24))} END,
             s.launched_at
      FROM seed_sessions s
      CROSS JOIN LATERAL (SELECT ${appIdx} AS app,
                                 CASE WHEN ${sql.pick(hx, 2, 60)} = 0 THEN ${sql.uuid("user", "0")}
                                      ELSE ${sql.uuid("user", sql.pick(hx, anonymousUsers, 28))} END AS creator) d0
      CROSS JOIN LATERAL (SELECT d0.app, d0.creator, ${deviceIdx} AS dev) d
      WHERE s.sess_chunk = $1
      ORDER BY s.launched_at, s.idx`, [chunk]);
    onProgress("sessions", Math.min(N, (chunk + 1) * SESSION_CHUNK), N);
  }

  // --- attachments -------------------------------------------------------------------------
  // About a fifth of the sessions (started ones) have one to three files; ~15% unavailable.
  onProgress("attachments", 0, sessionChunks);
  const ha = sql.hash("s.idx", SALT.attachment);
  const hk = sql.hash("s.idx * 4 + att.no", SALT.attachment);
  for (let chunk = 0; chunk < sessionChunks; chunk++) {
    await query(`
      INSERT INTO attachments (id, organization_id, session_id, user_id, kind, file_name, content_type, byte_size, storage_key, created_at)
      SELECT ${sql.uuid7("coalesce(s.completed_at, s.started_at)", "attachment", "s.idx || ':' || att.no")}, ${org}, s.id, s.user_id,
             ${at(textArray(ATTACHMENTS.map((a) => a.kind)), "(att.no + s.idx) % 4")}::attachment_kind,
             ${at(textArray(ATTACHMENTS.map((a) => a.file)), "(att.no + s.idx) % 4")},
             ${at(textArray(ATTACHMENTS.map((a) => a.type)), "(att.no + s.idx) % 4")},
             (${at(intArray(ATTACHMENTS.map((a) => a.min)), "(att.no + s.idx) % 4")}
               + floor(${sql.frac(hk)} * ${at(intArray(ATTACHMENTS.map((a) => a.max - a.min)), "(att.no + s.idx) % 4")}))::int,
             CASE WHEN ${sql.pick(hk, 100, 24)} >= 15
                  THEN 'attachments/' || s.id || '/' || ${at(textArray(ATTACHMENTS.map((a) => a.file)), "(att.no + s.idx) % 4")} END,
             (coalesce(s.completed_at, s.started_at) + att.no * interval '1 second')::timestamptz(3)
      FROM seed_sessions s CROSS JOIN LATERAL generate_series(0, ${sql.pick(ha, 3, 8)}::int) AS att(no)
      WHERE s.sess_chunk = $1 AND s.started_at IS NOT NULL AND ${sql.pick(ha, 100)} < 22
      ORDER BY s.launched_at, s.idx, att.no`, [chunk]);
    onProgress("attachments", chunk + 1, sessionChunks);
  }

  // --- activities --------------------------------------------------------------------------
  const activityChunks = Math.ceil(A / ACTIVITY_CHUNK);
  onProgress("activities", 0, A);
  const catWeights = weighted(CATALOGUE.map(([, , , weight], i) => [i, weight] as [number, number]));
  const labelLists = flatten(LABEL_KINDS.map((k) => LABELS[k]));
  const catLabel = intArray(CATALOGUE.map(([, , kind]) => (kind === null ? 0 : LABEL_KINDS.indexOf(kind) + 1)));
  const ha1 = sql.hash("g.i", SALT.activity);
  const ha2 = sql.hash("g.i", SALT.activity2);
  const contentIdx = `least(${sql.pick(ha2, CONTENT.length)}, ${sql.pick(ha2, CONTENT.length, 16)})`;
  let doneActivities = 0;
  for (let chunk = 0; chunk < activityChunks; chunk++) {
    doneActivities += await write(`
      INSERT INTO activities (id, organization_id, user_id, company_id, session_id, occurred_at, category, action, label,
                              content_id, content_name, content_slug, created_at)
      SELECT ${sql.uuid7("e.at", "activity", "e.i")}, ${org}, e.user_id, e.company_id, e.session_id, e.at,
             CASE WHEN e.content THEN 'Content - ' || ${at(textArray(CONTENT.map((c) => c.type)), "e.ci")}
                  ELSE ${at(textArray(CATALOGUE.map(([category]) => category)), "e.ev")} END,
             ${at(textArray(CATALOGUE.map(([, action]) => action)), "e.ev")},
             CASE WHEN e.lk > 0 THEN ${labelLists.all}[1 + ${labelLists.offset}[e.lk] + e.lh % ${labelLists.count}[e.lk]] END,
             CASE WHEN e.content THEN ${at(textArray(CONTENT.map((c) => contentId(c.name))), "e.ci")} END,
             CASE WHEN e.content THEN ${at(textArray(CONTENT.map((c) => c.name)), "e.ci")} END,
             CASE WHEN e.content THEN ${at(textArray(CONTENT.map((c) => slugify(c.name))), "e.ci")} END,
             e.at
      FROM (
        SELECT v.*, ${at(boolArray(CATALOGUE.map(([category]) => category === null)), "v.ev")} AS content,
               ${at(catLabel, "v.ev")} AS lk
        FROM (
          SELECT g.i, s.user_id, s.company_id, s.id AS session_id,
                 (s.started_at + ${secondsToInterval(`(g.i - s.act_offset) * s.step_s + ${sql.frac(ha1, 32)} * s.step_s * 0.5`)})::timestamptz(3) AS at,
                 CASE WHEN g.i = s.act_offset AND ${sql.pick(ha1, 10)} < 7 THEN ${LOG_IN}
                      WHEN g.i = s.act_offset + s.act_count - 1 AND s.act_count > 1 AND ${sql.pick(ha1, 10)} < 3 THEN ${LOG_OUT}
                      ELSE ${at(intArray(catWeights), sql.pick(ha1, catWeights.length, 8))} END AS ev,
                 ${contentIdx} AS ci,
                 ${sql.pick(ha2, 1 << 20, 32)} AS lh
          FROM seed_sessions s CROSS JOIN LATERAL generate_series(s.act_offset, s.act_offset + s.act_count - 1) AS g(i)
              WHERE s.act_chunk = $1
          OFFSET 0
        ) v
      ) e
      ORDER BY e.at, e.i`, [chunk]);
    onProgress("activities", doneActivities, A);
  }

  // --- seen times, sign-up, statistics -----------------------------------------------------
  onProgress("finalize", 0, 2);
  const hz = sql.hash("u.idx", SALT.userSeen);
  await query(`
    UPDATE users AS t SET
      first_seen_at = a.first_seen, last_seen_at = a.last_seen,
      signed_up_at = CASE WHEN ${sql.pick(hz, 10)} < 7 THEN (coalesce(a.first_seen, ${spanStart} + ${secondsToInterval(sql.pick(hz, spanSeconds, 8))})
                            - ${secondsToInterval(sql.pick(hz, 30 * 86400, 36))})::timestamptz(3) END
    FROM seed_users u
    LEFT JOIN (SELECT user_id, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
               FROM activities WHERE organization_id = ${org} GROUP BY user_id) a ON a.user_id = u.id
    WHERE t.id = u.id`);
  await updateSessionActivitySpans(query, [orgId]);
  onProgress("finalize", 1, 2);
  for (const table of ["companies", "users", "sessions", "attachments", "activities"]) await query(`ANALYZE ${table}`);
  onProgress("finalize", 2, 2);

  return { organizationId: orgId, adminUserId: U > 0 ? adminId : "", counts };
}

/** Anonymous runs: about 1% of the sessions, none below 20 sessions. */
function anonymousCount(sessions: number): number {
  return sessions >= 20 ? Math.max(1, Math.round(sessions / 100)) : 0;
}
