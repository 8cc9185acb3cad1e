// The browser side of the local web chat. Text is always inserted with textContent: nothing a person or the
// bot writes is interpreted as HTML.
const log = document.getElementById("log");
const choices = document.getElementById("choices");
const form = document.getElementById("composer");
const input = document.getElementById("text");

const chatId = (() => {
  const saved = localStorage.getItem("congdoan-chat-id");
  if (saved) return saved;
  const fresh = "web-" + crypto.randomUUID().replaceAll("-", "");
  localStorage.setItem("congdoan-chat-id", fresh);
  return fresh;
})();

function show(text, kind) {
  const item = document.createElement("li");
  item.className = `msg msg--${kind}`;
  item.textContent = text;
  log.append(item);
  item.scrollIntoView({ block: "end" });
}

// A file from the bot (e.g. /xuat): a download link; the name is set as text, never as HTML. The link works once.
function showDocument(file) {
  const item = document.createElement("li");
  item.className = "msg msg--bot msg--file";
  const link = document.createElement("a");
  link.href = file.url;
  link.download = file.fileName;
  link.textContent = file.fileName;
  link.addEventListener("click", () => item.classList.add("msg--used"));
  item.append(link);
  log.append(item);
  item.scrollIntoView({ block: "end" });
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
}

async function send(text, shownAs = text) {
  show(shownAs, "user");
  choices.replaceChildren();
  try {
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chatId, text }),
    });
    if (!response.ok) throw new Error(String(response.status));
    const { replies } = await response.json();
    for (const reply of replies) {
      show(reply.text, "bot");
      if (reply.document?.url?.startsWith("/api/files?")) showDocument(reply.document);
      if (reply.choices?.length) showChoices(reply.choices);
    }
  } catch {
    show("Không gửi được tin nhắn, vui lòng thử lại. (Could not send, please try again.)", "error");
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send(text);
});

// Pushes (scheduled reminders, announcements) wait on the server until the page asks: every few seconds, for
// the ones after the last shown (remembered across reloads). A server without pushes (404) is not asked again.
const INBOX_EVERY_MS = 5000;
let inboxAfter = Number(localStorage.getItem("congdoan-inbox-after")) || 0;

async function pollInbox() {
  try {
    const response = await fetch(`/api/chat/inbox?chatId=${encodeURIComponent(chatId)}&after=${inboxAfter}`);
    if (response.status === 404) return;
    if (response.ok) {
      const { messages } = await response.json();
      for (const message of messages) {
        if (typeof message.seq !== "number" || message.seq <= inboxAfter) continue;
        show(String(message.text), "bot");
        inboxAfter = message.seq;
      }
      localStorage.setItem("congdoan-inbox-after", String(inboxAfter));
    }
  } catch {
    // Offline for a moment: the next poll catches up.
  }
  setTimeout(pollInbox, INBOX_EVERY_MS);
}

send("/start");
setTimeout(pollInbox, 1000);
