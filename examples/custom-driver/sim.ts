// The DevKitC + PIR board on quiesce's simulator: the PIR chip model on GPIO27, LED, W25Q flash, a terminal on the console.
import type { BootedBoard } from "quiesce/boards";
import { SimBoard, type SimBoardOptions, type SimBoardWiring, type SimModelContext, type SimBoardIo, type SimTime, type EnergyMeter } from "quiesce/sim";
import { PIR_BOARD, PIR_BOARD_DRIVERS, PIR_BOARD_PINS } from "./board/board";
import { PirModel } from "./pir/pir-model";
import { MotionLight } from "./motion-light";

// #region wiring
/** The wiring: which model sits behind which device (the PIR through a custom model, the rest built in). */
export function pirWiring(enablePin = -1): SimBoardWiring {
  const P = PIR_BOARD_PINS;
  const definition = enablePin < 0 ? PIR_BOARD : Object.assign({}, PIR_BOARD, {
    devices: PIR_BOARD.devices.map((d) => d.name !== "pir" ? d : Object.assign({}, d, { options: Object.assign({}, d.options, { enable: enablePin }) })),
  });
  return {
    definition,
    drivers: PIR_BOARD_DRIVERS,
    externalPullUps: [],
    models: [
      {
        kind: "custom", device: "pir", attach(ctx: SimModelContext): PirModel {
          const model = new PirModel({ clock: ctx.clock as SimTime, io: ctx.io as SimBoardIo, pin: P.pir, enablePin });
          (ctx.energy as EnergyMeter).add(model);
          return model;
        },
      },
      { kind: "led", device: "led", pin: P.led },
      { kind: "w25q", device: "flash", select: P.flashSelect },
      { kind: "terminal", device: "console", port: 0, baud: 115200 },
    ],
  };
}

// #endregion wiring

/** A booted SimBoard of this example (the PIR driver in its driver table). `enablePin` wires the sensor's supply switch. */
export function bootPirBoard(options: SimBoardOptions = {}, enablePin = -1): SimBoard {
  return new SimBoard(pirWiring(enablePin), Object.assign({ seed: 1 }, options));
}

/** `npm start -- --board examples/custom-driver/sim.ts` runs this one: the board with main.ts's motion light started at every boot. */
export const APP_WIRING: SimBoardWiring = Object.assign({}, pirWiring(), {
  onBoot(booted: BootedBoard): void {
    new MotionLight(booted, { lightUs: 2_000_000, idleUs: 10_000_000 });
  },
});

/** The PIR chip model behind the board's "pir" device. */
export function pirModel(sim: SimBoard): PirModel {
  return sim.models["pir"] as PirModel;
}
