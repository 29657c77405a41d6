import sharp from "sharp";

/** Longest side of the photo sent to the vision model: enough to read a bag's label. */
export const VISION_MAX_SIDE = 1600;
/** Largest `data:` URL sent; servers and models limit request sizes. */
export const VISION_MAX_DATA_URL = 2 * 1024 * 1024;

/**
 * The photo as a JPEG `data:` URL for the vision model: EXIF orientation applied,
 * metadata dropped, the longest side at most 1,600 px, smaller and lower quality until it
 * fits in ~2 MiB. Throws sharp's error for an unreadable image.
 */
export async function photoForVision(
  input: Buffer,
  maxDataUrl = VISION_MAX_DATA_URL,
): Promise<{ url: string; width: number; height: number }> {
  let side = VISION_MAX_SIDE;
  let quality = 85;
  for (;;) {
    const { data, info } = await sharp(input, { failOn: "error" })
      .rotate()
      .resize({ width: side, height: side, fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality })
      .toBuffer({ resolveWithObject: true });
    const url = `data:image/jpeg;base64,${data.toString("base64")}`;
    if (url.length <= maxDataUrl || side <= 400) {
      return { url, width: info.width, height: info.height };
    }
    side = Math.round(side * 0.75);
    quality = Math.max(60, quality - 10);
  }
}
