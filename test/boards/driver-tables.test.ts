// Each board module's driver table names exactly the drivers its devices use, so a firmware for it links no other driver.
import { describe, expect, it } from "vitest";
import { ESP32_DEVKITC, DEVKITC_DRIVERS } from "../../boards/esp32-devkitc/board";
import { MODDABLE_TWO, MODDABLE_TWO_DRIVERS } from "../../boards/moddable-two/board";
import { DRIVERS } from "../../boards/drivers";
import { validateBoard } from "../../boards/validate";
import { PIN_OPTIONS, type BoardDefinition, type DriverTable } from "../../boards/types";
import { PIR_BOARD, PIR_BOARD_DRIVERS } from "../../examples/custom-driver/board/board";
import { WEATHER_BOARD, WEATHER_DRIVERS } from "../../examples/weather-station/board";

const BOARDS: [string, BoardDefinition, DriverTable][] = [
  ["esp32-devkitc", ESP32_DEVKITC, DEVKITC_DRIVERS], ["moddable-two", MODDABLE_TWO, MODDABLE_TWO_DRIVERS],
  ["examples/custom-driver", PIR_BOARD, PIR_BOARD_DRIVERS], ["examples/weather-station", WEATHER_BOARD, WEATHER_DRIVERS],
];

describe("board driver tables", () => {
  for (const [name, def, table] of BOARDS) {
    it(name + ": the table validates the board and has no driver the board does not name", () => {
      expect(() => validateBoard(def, table)).not.toThrow();
      expect(Object.keys(table).sort()).toEqual([...new Set(def.devices.map((d) => d.driver))].sort());
      // Each entry lists its driver's option keys, so a misspelt one in the board is refused at boot.
      expect(Object.keys(table).filter((k) => !Array.isArray(table[k].options))).toEqual([]);
    });
  }

  it("every PIN_OPTIONS key is a pin some shipped driver reads (a \"backlight\" key was listed that none did: the backlight's GPIO is its pin)", () => {
    const read = new Set([...Object.values(DRIVERS), ...Object.values(PIR_BOARD_DRIVERS), ...Object.values(WEATHER_DRIVERS)].flatMap((f) => f.options ?? []));
    expect(PIN_OPTIONS.filter((k) => !read.has(k))).toEqual([]);
    expect(PIN_OPTIONS).not.toContain("backlight");
  });

  it("DRIVERS (the simulator's default) is every shipped driver: the shipped boards' tables together", () => {
    expect(Object.keys(DRIVERS).sort()).toEqual([
      "backlight", "bme280", "button", "ft6206", "i2c-bus", "ili9341", "led", "spi-bus", "telemetry", "uart-console", "w25q",
    ]);
  });
});
