// The browser side of the local web chat. Who is talking is the server's business: the session cookie is HttpOnly
// and this script stores nothing. Text is always inserted with textContent: nothing a person or the bot writes is
// interpreted as HTML.
const log = document.getElementById("log");
const choices = document.getElementById("choices");
const form = document.getElementById("composer");
const input = document.getElementById("text");
const sendButton = document.getElementById("send");

// The page's words in both languages (rendered by the server as inert JSON).
const { locale: initialLocale, chrome } = JSON.parse(document.getElementById("chrome").textContent);
let locale = initialLocale;
const word = (key) => chrome[locale]?.[key] ?? chrome.vi[key];

function applyChrome(next) {
  if (!chrome[next] || next === locale) return;
  locale = next;
  document.documentElement.lang = next;
  document.title = word("title");
  document.getElementById("chrome-title").textContent = word("title");
  document.getElementById("chrome-subtitle").textContent = word("subtitle");
  document.getElementById("chrome-input").textContent = word("input");
  log.setAttribute("aria-label", word("log"));
  choices.setAttribute("aria-label", word("choices"));
  input.placeholder = word("placeholder");
  document.getElementById("keys-hint").textContent = word("keysHint");
  sendButton.textContent = word("send");
  const hint = document.getElementById("welcome");
  if (hint) hint.replaceWith(welcomeHint());
}

/**
 * Sequence numbers of log entries already on the page: a reply shown from its POST comes back in the next poll too.
 * `lastSeq` moves only with what the log itself returned, so a push queued just before a reply is not skipped.
 */
const shown = new Set();
let lastSeq = 0;
const seen = (seq) => {
  if (typeof seq === "number") shown.add(seq);
};

function scrollToEnd() {
  log.scrollTop = log.scrollHeight;
}

function show(text, kind) {
  document.getElementById("welcome")?.remove();
  const item = document.createElement("li");
  item.className = `msg msg--${kind}`;
  item.textContent = text;
  log.append(item);
  scrollToEnd();
  return item;
}

// A file from the bot (e.g. /xuat): a download link that works once; in the history only its name.
function showDocument(file) {
  const item = show("", "bot msg--file");
  if (!file.url) {
    item.classList.add("msg--used");
    item.textContent = `${file.fileName} ${word("fileUsed")}`;
    return;
  }
  const link = document.createElement("a");
  link.href = file.url;
  link.download = file.fileName;
  link.textContent = file.fileName;
  link.addEventListener("click", () => item.classList.add("msg--used"));
  item.append(link);
}

function showChoices(list) {
  choices.replaceChildren(
    ...list.map((choice) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.label;
      button.addEventListener("click", () => send(choice.value, choice.label));
      return button;
    }),
  );
  scrollToEnd();
}

// No automatic /start (it would undo /ngung): a new chat shows a hint and a button instead.
function welcomeHint() {
  const item = document.createElement("li");
  item.id = "welcome";
  item.className = "msg msg--hint";
  const text = document.createElement("p");
  text.textContent = word("welcome");
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = word("start");
  button.addEventListener("click", () => send("/start", word("start")));
  item.append(text, button);
  return item;
}

function showEntry(entry) {
  if (typeof entry.seq === "number" && entry.seq > lastSeq) lastSeq = entry.seq;
  if (shown.has(entry.seq)) return;
  seen(entry.seq);
  if (entry.from === "user") return void show(String(entry.text), "user");
  show(String(entry.text), "bot");
  if (entry.fileName) showDocument({ fileName: String(entry.fileName) });
}

let sending = false;
async function send(text, shownAs = text) {
  if (sending) return;
  sending = true;
  show(shownAs, "user");
  choices.replaceChildren();
  try {
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(shownAs === text ? { text } : { text, label: shownAs }),
    });
    if (response.status === 429) return void show(word("rateLimited"), "error");
    if (response.status === 401) return void show(word("sessionEnded"), "error");
    if (!response.ok) throw new Error(String(response.status));
    const { userSeq, replies } = await response.json();
    seen(userSeq);
    for (const reply of replies) {
      seen(reply.seq);
      if (reply.locale) applyChrome(reply.locale);
      show(reply.text, "bot");
      if (reply.document?.url?.startsWith("/api/files?")) showDocument(reply.document);
      if (reply.choices?.length) showChoices(reply.choices);
    }
  } catch {
    show(word("sendFailed"), "error");
  } finally {
    sending = false;
    input.focus();
  }
}

function submit() {
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  autoGrow();
  send(text);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit();
});

// Enter sends; Shift+Enter starts a new line (and so does Enter while an input method is composing).
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
});

function autoGrow() {
  input.style.height = "auto";
  input.style.height = `${input.scrollHeight + 2}px`;
}
input.addEventListener("input", autoGrow);

// The chat's log (what was said, and pushes: reminders, announcements) is kept on the server for this session.
// On load it is shown again; then the page asks every few seconds for what came after the last entry it has.
const INBOX_EVERY_MS = 5000;

async function readLog() {
  const response = await fetch(`/api/chat/inbox?after=${lastSeq}`);
  if (!response.ok) return null;
  const { messages } = await response.json();
  return messages;
}

async function pollInbox() {
  try {
    const messages = await readLog();
    for (const message of messages ?? []) showEntry(message);
  } catch {
    // Offline for a moment: the next poll catches up.
  }
  setTimeout(pollInbox, INBOX_EVERY_MS);
}

async function restore() {
  try {
    const messages = (await readLog()) ?? [];
    for (const message of messages) showEntry(message);
    const last = messages.at(-1);
    if (last?.from === "bot" && last.choices?.length) showChoices(last.choices);
  } catch {
    // Nothing to restore: a new chat.
  }
  if (shown.size === 0) log.append(welcomeHint());
  scrollToEnd();
  setTimeout(pollInbox, INBOX_EVERY_MS);
}

restore();
