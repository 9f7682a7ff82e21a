import { runXsBench } from "./bench/xs-bench";
(async () => {
  const t = Date.now();
  const x = await runXsBench({ wall: process.argv[2] === "wall" });
  console.log("secs", (Date.now() - t) / 1000, x.calibration);
  for (const s of x.sizes) console.log(s.n, s.runtime.computePerDevice, s.runtime.slots, s.baselines.map((b) => `${b.kind} ${b.computePerDevice} slots/dev ${b.slotsPerDevice} ticks ${b.ticks} out ${b.outcome}`).join(" | "));
  if (x.wall) console.log(JSON.stringify(x.wall));
})();
