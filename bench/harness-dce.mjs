#!/usr/bin/env node
// bench/harness-dce: the fifth cause of issue 28 in a replica of the Node harness's run loop (an
// async message loop; the 1 µs checksum; 2,500 calls per sample; 3,000 samples). Prints the wall
// ns per call at chosen samples for each way of passing the input and handling the result:
//   const-discard  the input bound once, the result dropped (the harness before the fix)
//   let-discard    the input assigned twice, the result dropped
//   const-consume  the input bound once, every result kept in a module variable
//   let-consume    both (the harness now)
//
//   node --no-maglev bench/harness-dce.mjs [const-discard|let-discard|const-consume|let-consume]
function checksum({ text }) {
  let a = 1;
  let b = 0;
  for (let i = 0; i < 300; i++) {
    a = (a + text.charCodeAt(i % text.length)) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const modes = process.argv[2]
  ? [process.argv[2]]
  : ['const-discard', 'let-discard', 'const-consume', 'let-consume'];
const config = {
  input: JSON.parse(
    JSON.stringify({ text: 'The quick brown fox jumps over the lazy dog 0123456789' }),
  ),
};
const hrtime = process.hrtime.bigint;
let sink;

async function replica(mode) {
  let call;
  if (mode.startsWith('const')) {
    const input = config.input;
    call = () => checksum(input);
  } else {
    let input = null;
    input = config.input;
    call = () => checksum(input);
  }
  const consume = mode.endsWith('consume');
  let k = 0;
  const next = async () => (k++ < 3000 ? { n: 2500 } : undefined);
  const perCall = [];
  for (;;) {
    const request = await next();
    if (request === undefined) break;
    const n = request.n;
    const start = hrtime();
    if (consume) for (let i = 0; i < n; i++) sink = call();
    else for (let i = 0; i < n; i++) call();
    perCall.push(Number(hrtime() - start) / n);
  }
  return perCall;
}

// Each mode in its own process, so that one mode's compiled code is not another's.
if (modes.length > 1) {
  const { spawnSync } = await import('node:child_process');
  for (const mode of modes)
    process.stdout.write(
      spawnSync(process.execPath, [...process.execArgv, process.argv[1], mode], {
        encoding: 'utf8',
      }).stdout,
    );
} else {
  const perCall = await replica(modes[0]);
  const at = [0, 10, 50, 700, 2999];
  console.log(
    `${modes[0].padEnd(14)} ${at.map((i) => `${i}:${perCall[i].toFixed(0)}`).join(' ')} (kept ${typeof sink})`,
  );
}
