import { sharp } from "../../platform/sharp";
import { type ThumbnailSize, thumbnailSizes } from "./documents.objects";

/** The image cannot be made into thumbnails: retrying will not help. */
export class UnusableImageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UnusableImageError";
  }
}

const WEBP = { quality: 80 } as const;

export interface Thumbnail {
  /** WebP bytes. */
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Both thumbnails of an image from one decode: the image is read once, turned upright by
 * its EXIF orientation and shrunk to the `md` size (JPEG shrink-on-load decodes a large
 * photo at a fraction of its size), then `md` is encoded from those pixels and `sm` made
 * from them. The output has no metadata (sharp drops it unless asked). Images over
 * `maxPixels` are refused from their header before anything is decoded.
 */
export async function renderThumbnails(
  input: Buffer,
  maxPixels: number,
): Promise<Record<ThumbnailSize, Thumbnail>> {
  const header = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw unusable("the file is not a readable image", error);
    });
  const { width, height } = header;
  if (!width || !height) throw new UnusableImageError("the image has no dimensions");
  if (width * height > maxPixels) {
    throw new UnusableImageError(
      `the image is ${width} × ${height} = ${width * height} pixels, over the limit of ${maxPixels} (THUMBNAIL_MAX_PIXELS)`,
    );
  }
  const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: "error" })
    .autoOrient()
    .resize(thumbnailSizes.md, thumbnailSizes.md, { fit: "inside", withoutEnlargement: true })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw unusable("the image could not be decoded", error);
    });
  const pixels = sharp(data, {
    raw: { width: info.width, height: info.height, channels: info.channels },
  });
  const [md, sm] = await Promise.all([
    pixels.clone().webp(WEBP).toBuffer({ resolveWithObject: true }),
    pixels
      .clone()
      .resize(thumbnailSizes.sm, thumbnailSizes.sm, { fit: "inside", withoutEnlargement: true })
      .webp(WEBP)
      .toBuffer({ resolveWithObject: true }),
  ]);
  const thumbnail = ({ data, info }: typeof md): Thumbnail => ({
    data,
    width: info.width,
    height: info.height,
  });
  return { sm: thumbnail(sm), md: thumbnail(md) };
}

function unusable(what: string, error: unknown): UnusableImageError {
  const reason = error instanceof Error ? error.message.trim() : String(error);
  return new UnusableImageError(`${what}: ${reason}`, { cause: error });
}
