// The esbuild options of every Node bundle of this repo: the `sheetgate` CLI in dist/ (build.mjs)
// and the bench's bundles of the same CLI and its bare servers (bench/build.ts), so the benchmark
// measures the connector built as it ships.
export const NODE_BUNDLE = Object.freeze({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
});
