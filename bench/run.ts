import { runAuthBench } from './auth.js';
import { runGatewayOverheadBench } from './gateway-overhead.js';
import { runStorageBench } from './storage.js';
import { runTelemetryOverheadBench } from './telemetry-overhead.js';
import { printCatalogueBench, runCatalogueBench } from './tool-catalogue.js';
import { runThrottlingBench } from './throttling.js';
import { printUploadBench, runUploadBench } from './upload.js';

/**
 * `npm run bench [-- case ...]`: every case prints ratios measured side by side in one run, since
 * these machines are noisy. Not part of `npm test`.
 */
const CASES: Record<string, () => Promise<void>> = {
  gateway: async () => {
    await runGatewayOverheadBench();
  },
  telemetry: () => runTelemetryOverheadBench(),
  'tool-catalogue': async () => printCatalogueBench(runCatalogueBench()),
  throttling: () => runThrottlingBench(),
  auth: () => runAuthBench(),
  storage: () => runStorageBench(),
  upload: async () => printUploadBench(await runUploadBench()),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in CASES));
if (unknown.length > 0) {
  console.error(`unknown bench case(s): ${unknown.join(', ')}; known: ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}
for (const [name, run] of Object.entries(CASES)) {
  if (wanted.length === 0 || wanted.includes(name)) await run();
}
