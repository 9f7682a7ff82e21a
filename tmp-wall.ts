import { runWallBench } from "./bench/xs-bench";
(async () => {
  const t = Date.now();
  const w = await runWallBench();
  console.log("secs", (Date.now() - t) / 1000, JSON.stringify(w));
})();
