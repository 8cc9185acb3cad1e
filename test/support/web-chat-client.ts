// A web chat client over real HTTP that behaves like a browser tab: it loads the page (the server issues the session
// cookie), then keeps that cookie for its messages and polls. Nothing else identifies it.
export interface WebChatReply {
  seq: number;
  text: string;
  choices?: { label: string; value: string }[];
  locale?: string;
  document?: { fileName: string; url: string };
}

export interface WebChatClient {
  /** The cookie pair the server set (`name=value`), as a browser would send it back. */
  readonly cookie: string;
  say(text: string, label?: string): Promise<WebChatReply[]>;
  /** POST /api/chat with this session, answering the raw response. */
  post(body: unknown): Promise<Response>;
  log(after?: number): Promise<{ seq: number; from: string; text: string; choices?: unknown[]; at: string }[]>;
  get(path: string): Promise<Response>;
}

/** `set-cookie` → the `name=value` pair a browser sends back. */
export function cookiePair(response: Response): string {
  const header = response.headers.get("set-cookie");
  if (!header) throw new Error(`no session cookie from ${response.url} (${response.status})`);
  return header.split(";")[0]!;
}

export async function openWebChat(base: string): Promise<WebChatClient> {
  const page = await fetch(`${base}/`);
  if (page.status !== 200) throw new Error(`GET / answered ${page.status}`);
  await page.text();
  const cookie = cookiePair(page);
  const get = (path: string) => fetch(`${base}${path}`, { headers: { cookie } });
  const post = (body: unknown) => fetch(`${base}/api/chat`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify(body) });
  return {
    cookie,
    get,
    post,
    async say(text, label) {
      const res = await post(label === undefined ? { text } : { text, label });
      if (res.status !== 200) throw new Error(`chat answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { replies: WebChatReply[] }).replies;
    },
    async log(after = 0) {
      const res = await get(`/api/chat/inbox?after=${after}`);
      if (res.status !== 200) throw new Error(`inbox answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { messages: Awaited<ReturnType<WebChatClient["log"]>> }).messages;
    },
  };
}
