/**
 * What generated activities are made of: the activity catalogue (category, action, label kind,
 * weight), the content pages content activities happen on, and the label texts by kind.
 */
import { createHash } from "node:crypto";

/** Content pages (the "where" of an activity), from the activity catalogue's content types. */
export const CONTENT: { type: string; name: string }[] = [
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
export const contentId = (name: string) => `cnt_${createHash("md5").update(`content:${name}`).digest("hex").slice(0, 10)}`;
export const slugify = (name: string) => name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** Label texts by kind ("[Answer text]", "[Chat message text]" ... in the catalogue). */
export const LABELS: Record<string, string[]> = {
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
export const LABEL_KINDS = Object.keys(LABELS);

/** The activity catalogue: category (null: "Content - <type>" of a content page), action, label kind, weight. */
export const CATALOGUE: [string | null, string, string | null, number][] = [
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
/** Catalogue indexes of the entries placed at a session's start and end rather than drawn. */
export const LOG_IN = 0;
export const LOG_OUT = 1;
