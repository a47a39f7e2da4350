#!/usr/bin/env node
// Outside check of docs/bundle-contract.md section 3 with ONNX Runtime for Node.js: builds the
// inputs of encoder.onnx from the contract text alone (formatVersion 2: clip [N,3,T,H,W], boxes
// [R,4], box_clip [R] int64; formatVersion 1: one clip per call), checks every output's name,
// dtype and shape against the document, that a batch gives each clip what a call of its own
// gives, and runs context_head.onnx on each clip's rows (scores [R,K] in (0,1)).
// Not run by CI. Setup (npm registry only; the CPU binding ships in the package):
//   mkdir -p /tmp/ortnode && cd /tmp/ortnode && npm init -y && \
//     ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm install onnxruntime-node
//   NODE_PATH=/tmp/ortnode/node_modules node tools/bundle-contract/check_batch.mjs models/demo
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// NODE_PATH is not consulted by ES module imports: resolve the package through it by hand
const require = createRequire(import.meta.url);
const ort = require(
  process.env.NODE_PATH ? join(process.env.NODE_PATH, "onnxruntime-node") : "onnxruntime-node");

const bundle = process.argv[2];
if (!bundle) {
  console.error("usage: check_batch.mjs BUNDLE_DIR");
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(bundle, "manifest.json"), "utf8"));
const version = manifest.formatVersion;
const T = manifest.clip.frames;
const H = manifest.clip.shortSide;
const W = Math.round((H * 4) / 3); // a 4:3 frame at the short side (section 4)
const C = manifest.dims.channels;
const Cp = manifest.dims.memoryChannels;
const K = manifest.dims.numClasses;
const boxCounts = [2, 0, 3];

let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const clips = boxCounts.map(() => Float32Array.from({ length: 3 * T * H * W }, () => rand() * 4 - 2));
const boxes = boxCounts.map((r) =>
  Float32Array.from({ length: r * 4 }, (_, i) => (i % 4 < 2 ? 0.1 + rand() * 0.3 : 0.6 + rand() * 0.3)));

const fail = (msg) => {
  console.error("FAIL: " + msg);
  process.exit(1);
};
const expectShape = (name, t, want) => {
  if (t.type !== "float32") fail(`${name} is ${t.type}, the contract says float32`);
  if (JSON.stringify(t.dims) !== JSON.stringify(want))
    fail(`${name} has shape [${t.dims}], the contract says [${want}]`);
};

const encoder = await ort.InferenceSession.create(join(bundle, "encoder.onnx"));
const head = await ort.InferenceSession.create(join(bundle, "context_head.onnx"));
const wantInputs = version >= 2 ? ["clip", "boxes", "box_clip"] : ["clip", "boxes"];
if (JSON.stringify([...encoder.inputNames].sort()) !== JSON.stringify([...wantInputs].sort()))
  fail(`encoder inputs ${encoder.inputNames}, the contract (formatVersion ${version}) says ${wantInputs}`);

// one call of the given clips; returns per clip {roi, key, contribution, weight}
async function encode(indices) {
  if (version < 2 && indices.length !== 1) throw new Error("formatVersion 1 takes one clip per call");
  const n = indices.length;
  const clip = new Float32Array(n * 3 * T * H * W);
  indices.forEach((c, j) => clip.set(clips[c], j * 3 * T * H * W));
  const r = indices.reduce((a, c) => a + boxCounts[c], 0);
  const b = new Float32Array(r * 4);
  const owner = new BigInt64Array(r);
  let row = 0;
  indices.forEach((c, j) => {
    b.set(boxes[c], row * 4);
    for (let k = 0; k < boxCounts[c]; k++) owner[row + k] = BigInt(j);
    row += boxCounts[c];
  });
  const feeds = {
    clip: new ort.Tensor("float32", clip, [n, 3, T, H, W]),
    boxes: new ort.Tensor("float32", b, [r, 4]),
  };
  if (version >= 2) feeds.box_clip = new ort.Tensor("int64", owner, [r]);
  const out = await encoder.run(feeds);
  expectShape("roi_feats", out.roi_feats, [r, C]);
  expectShape("key", out.key, version >= 2 ? [n, Cp] : [Cp]);
  expectShape("contribution", out.contribution, version >= 2 ? [n, Cp, Cp] : [Cp, Cp]);
  expectShape("weight", out.weight, [1]);
  const result = [];
  row = 0;
  indices.forEach((c, j) => {
    result.push({
      roi: out.roi_feats.data.slice(row * C, (row + boxCounts[c]) * C),
      key: out.key.data.slice(j * Cp, (j + 1) * Cp),
      contribution: out.contribution.data.slice(j * Cp * Cp, (j + 1) * Cp * Cp),
      weight: out.weight.data[0],
    });
    row += boxCounts[c];
  });
  return result;
}

const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const alone = [];
for (let c = 0; c < clips.length; c++) alone.push((await encode([c]))[0]);
let diff = 0;
if (version >= 2) {
  const batch = await encode(clips.map((_, c) => c));
  batch.forEach((o, c) => {
    diff = Math.max(diff, maxDiff(o.roi, alone[c].roi), maxDiff(o.key, alone[c].key),
      maxDiff(o.contribution, alone[c].contribution), Math.abs(o.weight - alone[c].weight));
  });
  if (diff > 1e-5) fail(`a batch differs from calls of one clip by ${diff}`);
}
for (let c = 0; c < clips.length; c++) {
  const o = alone[c];
  if (!(o.weight > 0)) fail(`weight ${o.weight} is not a positive position count`);
  const memory = Float32Array.from(o.contribution, (v) => v / o.weight); // section 5, one second
  const out = await head.run({
    roi_feats: new ort.Tensor("float32", o.roi, [boxCounts[c], C]),
    key: new ort.Tensor("float32", o.key, [Cp]),
    memory: new ort.Tensor("float32", memory, [Cp, Cp]),
  });
  expectShape("scores", out.scores, [boxCounts[c], K]);
  if (out.scores.data.some((s) => !(s > 0 && s < 1))) fail("a score is outside (0, 1)");
}
console.log(
  `${bundle}: formatVersion ${version}, T=${T} ${H}x${W}, C=${C} C'=${Cp} K=${K}; ` +
    `box counts ${boxCounts}: shapes as documented` +
    (version >= 2 ? `, batch of ${clips.length} vs one clip per call: max |difference| ${diff}` : "") +
    ", scores in (0, 1)");
