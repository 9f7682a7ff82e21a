// quiesce's own firmware (mcconfig's "main"): the board its -p folder supplies as "quiesce-board", every driver that board names, the console.
import { startEsp32 } from "./boards/esp32/start";
import { ConsoleApp } from "./console/console-app";
import { definition, drivers } from "quiesce-board";

/*
 * The board is not chosen here: each board folder's manifest maps the module "quiesce-board" to its
 * board data (boards/esp32-devkitc/host/quiesce-board.js re-exports boards/esp32-devkitc/board), so
 * `mcconfig -p esp32:$PWD/boards/<board>/host` picks it. An application for one board imports that
 * board's module directly instead (examples/weather-station/main.ts); docs/adding-a-board.md has both.
 */
export default startEsp32(definition, {
  drivers,
  makeConsole: function shippedConsole(pm, io) {
    return new ConsoleApp(pm, io);
  },
});
