// Fetching a photo a person sent, from the platform's file server: one GET with a timeout and a size cap, the image
// type read from the bytes (JPEG, PNG or WebP; the declared type is not trusted). The URL may carry the bot token
// (Telegram's file links do), so no error, message or log line ever contains it: failures say only what went wrong.
import { PhotoDownloadError, type PhotoFile } from "../app/ports.js";

export { PhotoDownloadError };

/**
 * The largest photo kept. What the platforms send "as photo" is compressed: Telegram's sizes within 1280 px are a few
 * hundred KB, Zalo's likewise; 2 MB leaves room for a detailed PNG or a modest image sent as a file, while a camera's
 * original (3-8 MB) is refused politely with "send it as a photo". Each stored photo is a row in the database that
 * backups carry for years, and the bot downloads it into memory (outside the 64 MB heap, but in the container's).
 */
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
/** Telegram offers each photo in several sizes: the largest whose sides are at most this is taken. */
export const PHOTO_MAX_SIDE = 1280;
export const PHOTO_DOWNLOAD_TIMEOUT_MS = 15_000;
/** Zalo's image servers (photo links are on hosts such as f21-zpc.zdn.vn): the default of ZALO_PHOTO_HOSTS. */
export const ZALO_PHOTO_HOSTS: readonly string[] = ["zdn.vn", "zadn.vn"];

/** The image type of `bytes` by its signature, or null. */
export function imageType(bytes: Uint8Array): string | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return "image/png";
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}

export interface PhotoDownloadOptions {
  maxBytes?: number;
  timeoutMs?: number;
}

/** GETs `url` and returns the image; throws PhotoDownloadError. */
export async function downloadPhoto(url: string, options: PhotoDownloadOptions = {}): Promise<PhotoFile> {
  const maxBytes = options.maxBytes ?? PHOTO_MAX_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? PHOTO_DOWNLOAD_TIMEOUT_MS);
  let response: Response;
  try {
    // A redirect is not followed: it could lead anywhere (the bot's own network included), past the channel's check
    // of where photos may come from. The platforms link their files directly.
    response = await fetch(url, { signal, redirect: "error" });
  } catch {
    throw new PhotoDownloadError("unreachable");
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw new PhotoDownloadError("unreachable");
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => {});
    throw new PhotoDownloadError("too-large");
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new PhotoDownloadError("too-large");
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof PhotoDownloadError) throw error;
    throw new PhotoDownloadError("unreachable");
  }
  const bytes = Buffer.concat(chunks, size);
  const contentType = imageType(bytes);
  if (!contentType) throw new PhotoDownloadError("not-an-image");
  return { contentType, bytes };
}
