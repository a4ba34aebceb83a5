/** The part of omggif (GIF reading, no types published) that the image decoder uses. */
declare module 'omggif' {
  export class GifReader {
    constructor(buffer: Uint8Array);
    width: number;
    height: number;
    numFrames(): number;
  }
}
