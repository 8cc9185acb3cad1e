// Fetching a photo from a platform's file server (real HTTP on 127.0.0.1): the image comes back with its type read
// from its bytes; too large (declared or streamed), not an image, an error status, a server that never answers and a
// refused connection each fail with their own problem and nothing else — the link (which may hold a bot token)
// never appears in the error; a redirect is not followed. And which of Telegram's sizes is taken, and which links
// of Zalo's photos are fetched at all.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadPhoto, imageType, PhotoDownloadError } from "../../src/channels/photo-download.js";
import { choosePhotoSize } from "../../src/channels/telegram/to-incoming.js";
import { zaloPhotoSource } from "../../src/channels/zalo/zalo-channel.js";
import { pngImage } from "../support/test-image.js";

const PNG = pngImage(20, 10);
const SECRET = "bot123456:SECRET-token";

describe("downloadPhoto", () => {
  let server: Server;
  let root: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? "/";
      if (path.endsWith("/ok.png")) return void res.writeHead(200, { "content-type": "application/octet-stream" }).end(PNG);
      if (path.endsWith("/declared-big")) return void res.writeHead(200, { "content-length": String(10 * 1024 * 1024) }).end();
      if (path.endsWith("/streamed-big")) {
        res.writeHead(200, { "content-type": "image/jpeg" });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let sent = 0;
        const push = () => {
          while (sent < 40 && res.write(chunk)) sent++;
          if (sent < 40) res.once("drain", push);
          else res.end();
        };
        return push();
      }
      // A redirect to an image this very server (127.0.0.1) serves: a link elsewhere must not lead inside.
      if (path.endsWith("/redirect")) return void res.writeHead(302, { location: `${root}/ok.png` }).end();
      if (path.endsWith("/page.html")) return void res.writeHead(200, { "content-type": "image/png" }).end("<html><script>alert(1)</script></html>");
      if (path.endsWith("/slow")) return; // never answers
      res.writeHead(404).end("not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file/${SECRET}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const problem = async (url: string, options = {}) => {
    try {
      await downloadPhoto(url, options);
    } catch (error) {
      expect(error).toBeInstanceOf(PhotoDownloadError);
      expect(String((error as Error).message)).not.toContain(SECRET);
      return (error as PhotoDownloadError).problem;
    }
    throw new Error("downloaded");
  };

  it("returns the image with the type its bytes say", async () => {
    const photo = await downloadPhoto(`${root}/ok.png`);
    expect(photo.contentType).toBe("image/png");
    expect(Buffer.from(photo.bytes).equals(PNG)).toBe(true);
  });

  it("refuses what is too large, not an image, missing, too slow or unreachable", async () => {
    expect(await problem(`${root}/declared-big`)).toBe("too-large");
    expect(await problem(`${root}/streamed-big`, { maxBytes: 1024 * 1024 })).toBe("too-large");
    expect(await problem(`${root}/page.html`)).toBe("not-an-image");
    expect(await problem(`${root}/missing.jpg`)).toBe("unreachable");
    expect(await problem(`${root}/slow`, { timeoutMs: 200 })).toBe("unreachable");
    expect(await problem(`http://127.0.0.1:1/file/${SECRET}/x.jpg`)).toBe("unreachable");
  });

  it("follows no redirect", async () => {
    expect(await problem(`${root}/redirect`)).toBe("unreachable");
  });

  it("knows JPEG, PNG and WebP by their signatures", () => {
    expect(imageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(imageType(PNG)).toBe("image/png");
    expect(imageType(new Uint8Array(Buffer.from("RIFF\0\0\0\0WEBPVP8 ")))).toBe("image/webp");
    expect(imageType(new Uint8Array(Buffer.from("GIF89a")))).toBeNull();
  });
});

describe("choosePhotoSize", () => {
  const size = (id: string, width: number, height: number, file_size?: number) => ({ file_id: id, file_unique_id: `u${id}`, width, height, ...(file_size ? { file_size } : {}) });
  it("takes the largest size within 1280 px and 2 MB, else the smallest", () => {
    expect(choosePhotoSize([size("s", 90, 67), size("m", 320, 240), size("l", 1280, 960), size("xl", 2560, 1920)])?.file_id).toBe("l");
    expect(choosePhotoSize([size("s", 90, 67), size("l", 1280, 960, 3 * 1024 * 1024)])?.file_id).toBe("s");
    expect(choosePhotoSize([size("xl", 2560, 1920), size("xxl", 4000, 3000)])?.file_id).toBe("xl");
    expect(choosePhotoSize([])).toBeUndefined();
  });
});

describe("zaloPhotoSource", () => {
  const source = zaloPhotoSource("http://127.0.0.1:45123", ["zdn.vn", "zadn.vn"]);
  it("takes https links on Zalo's image servers and the API root's own server only", () => {
    expect(source("https://f21-zpc.zdn.vn/jpg/123/abc.jpg")).toBe("https://f21-zpc.zdn.vn/jpg/123/abc.jpg");
    expect(source("https://s120-ava-talk.zadn.vn/a/b.jpg")).toBe("https://s120-ava-talk.zadn.vn/a/b.jpg");
    expect(source("https://zdn.vn/x.jpg")).toBe("https://zdn.vn/x.jpg");
    expect(source("http://127.0.0.1:45123/images/a.png")).toBe("http://127.0.0.1:45123/images/a.png");
    for (const foreign of [
      "https://example.com/a.jpg",
      "https://evilzdn.vn/a.jpg",
      "https://f21-zpc.zdn.vn.evil.example/a.jpg",
      "http://f21-zpc.zdn.vn/a.jpg",
      "https://f21-zpc.zdn.vn:8443/a.jpg",
      "http://127.0.0.1:45124/images/a.png",
      "http://169.254.169.254/latest/meta-data",
      "file:///etc/passwd",
      "not a link",
    ]) {
      expect(source(foreign), foreign).toBeNull();
    }
  });
});
