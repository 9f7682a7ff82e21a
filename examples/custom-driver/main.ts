// The custom-driver example's firmware (mcconfig's "main"): the DevKitC + PIR board this app names, the console, the motion light.
// #region main
import { startEsp32 } from "quiesce/esp32";
import { ConsoleApp } from "quiesce/console/console-app";
import { PIR_BOARD, PIR_BOARD_DRIVERS } from "./board/board";
import { MotionLight } from "./motion-light";

const booted = startEsp32(PIR_BOARD, {
  drivers: PIR_BOARD_DRIVERS,
  makeConsole: function shippedConsole(pm, io) {
    return new ConsoleApp(pm, io);
  },
});

export default new MotionLight(booted, { lightUs: 2_000_000, idleUs: 10_000_000 });
// #endregion main
