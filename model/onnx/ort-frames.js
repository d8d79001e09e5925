// ort-frames.js: runs ONNX models in ONNX Runtime (onnxruntime-node) for a fixed number
// of frames on one thread, for instruction counting (ort-arm.sh runs it with the arm64
// Node.js under qemu and arm-insn). It prints nothing; timing is not its job.
//
// usage: node ort-frames.js N [--out DIR] MODEL.onnx:INPUT.u8 ...
//
// Every session is created first; then each model runs N times on its own input (a raw
// uint8 tensor of the model's input shape). So the instructions of a run with N frames
// minus those of a run with N' frames are N-N' frames of every model, whatever the
// start-up (Node.js, loading the library, creating the sessions, the first run's
// allocations) costs. --out DIR writes each model's first output after its last frame
// to DIR/<model file name without .onnx>.u8.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function usage(msg) {
  console.error(`ort-frames: ${msg}\nusage: node ort-frames.js N [--out DIR] MODEL.onnx:INPUT.u8 ...`);
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  const n = Number(args.shift());
  if (!Number.isInteger(n) || n < 0) usage('N must be a whole number >= 0');
  let out = '';
  if (args[0] === '--out') {
    args.shift();
    out = args.shift() || usage('--out needs a directory');
  }
  if (args.length === 0) usage('no model given');
  const jobs = [];
  for (const a of args) {
    const i = a.lastIndexOf(':');
    if (i <= 0) usage(`${a}: want MODEL.onnx:INPUT.u8`);
    const model = a.slice(0, i), input = a.slice(i + 1);
    const s = await ort.InferenceSession.create(model, {
      intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
    });
    const shape = s.inputMetadata[0].shape;
    const size = shape.reduce((x, y) => x * y, 1);
    const buf = fs.readFileSync(input);
    if (buf.length !== size) usage(`${input}: ${buf.length} bytes, ${model} takes ${size}`);
    const x = new ort.Tensor('uint8', new Uint8Array(buf.buffer, buf.byteOffset, buf.length), shape);
    jobs.push({ model, s, feeds: { [s.inputNames[0]]: x } });
  }
  for (const j of jobs) {
    let r = null;
    for (let k = 0; k < n; k++) r = await j.s.run(j.feeds);
    if (out && r) {
      const o = r[j.s.outputNames[0]].data;
      fs.writeFileSync(path.join(out, path.basename(j.model, '.onnx') + '.u8'), Buffer.from(o.buffer, o.byteOffset, o.byteLength));
    }
  }
}

main().catch((e) => { console.error('ort-frames:', e.message); process.exit(1); });
