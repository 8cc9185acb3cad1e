// The Telegram channel (telegraf): see telegram-channel.ts.
export { createTelegramChannel, type TelegramChannelOptions } from "./telegram-channel.js";
export { TELEGRAM_WEBHOOK_PATH } from "./webhook-route.js";
