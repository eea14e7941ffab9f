/** Adler-32 checksum of a text, as an unsigned 32-bit integer. */
export interface ChecksumInput {
  readonly text: string;
  readonly rounds: number;
}

export default function checksum(input: ChecksumInput): number {
  let result = 0;
  for (let round = 0; round < input.rounds; round++) {
    let a = 1;
    let b = 0;
    for (let i = 0; i < input.text.length; i++) {
      a = (a + input.text.charCodeAt(i)) % 65521;
      b = (b + a) % 65521;
    }
    result = ((b << 16) | a) >>> 0;
  }
  return result;
}
