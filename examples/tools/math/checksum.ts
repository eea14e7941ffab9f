/** Adler-32 checksum of a text, as an unsigned 32-bit integer. */
export interface ChecksumInput {
  readonly text: string;
  readonly rounds: number;
}

export default function checksum(input: ChecksumInput): number {
  let result = 0;
  for (let round = 0; round < input.rounds; round++) {
    const sums = input.text
      .split('')
      .map((ch) => ch.charCodeAt(0))
      .reduce(
        (acc, code) => {
          const a = (acc.a + code) % 65521;
          return { a, b: (acc.b + a) % 65521 };
        },
        { a: 1, b: 0 },
      );
    result = ((sums.b << 16) | sums.a) >>> 0;
  }
  return result;
}
