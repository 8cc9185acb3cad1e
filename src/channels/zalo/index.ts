// The Zalo channel: a small typed Bot API client and the adapter built on it.
export { createZaloChannel, toIncomingMessage, ZALO_WEBHOOK_PATH, type ZaloChannelOptions } from "./zalo-channel.js";
export { ZaloApiError, ZaloBotClient, DEFAULT_ZALO_API_ROOT, type ZaloClientOptions } from "./zalo-client.js";
export { renderForZalo, splitText } from "./render.js";
export * from "./types.js";
