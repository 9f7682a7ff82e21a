// Winbond W25Q64JV / W25Q32JV datasheet numbers, the instructions modelled, and the violation texts the flash model reports (built once).

/** Datasheet W25Q64JV (Rev. K) / W25Q32JV, section 9.6 AC Electrical Characteristics, in microseconds. */
export interface W25qTiming {
  /** tPP page program. */ pp: number;
  /** tSE 4 KB sector erase. */ se: number;
  /** tBE1 32 KB block erase. */ be1: number;
  /** tBE2 64 KB block erase. */ be2: number;
  /** tCE chip erase. */ ce: number;
}

export interface W25qVariant {
  name: string;
  sizeBytes: number;
  /** JEDEC ID (9Fh): manufacturer EF, memory type 40 (JV-IQ/JQ, SPI), capacity. */
  jedec: number;
  /** Device ID returned by ABh and 90h. */
  deviceId: number;
  typ: W25qTiming;
  max: W25qTiming;
}

export const W25Q64JV: W25qVariant = {
  name: "W25Q64JV",
  sizeBytes: 8 * 1024 * 1024,
  jedec: 0xef4017,
  deviceId: 0x16,
  typ: { pp: 400, se: 45_000, be1: 120_000, be2: 150_000, ce: 20_000_000 },
  max: { pp: 3_000, se: 400_000, be1: 1_600_000, be2: 2_000_000, ce: 100_000_000 },
};

export const W25Q32JV: W25qVariant = {
  name: "W25Q32JV",
  sizeBytes: 4 * 1024 * 1024,
  jedec: 0xef4016,
  deviceId: 0x15,
  typ: { pp: 400, se: 45_000, be1: 120_000, be2: 150_000, ce: 10_000_000 },
  max: { pp: 3_000, se: 400_000, be1: 1_600_000, be2: 2_000_000, ce: 50_000_000 },
};

// Section 9.6: /CS high to power-down (tDP), to standby without ID read (tRES1), with ID read (tRES2);
// tRST after Reset Device (99h) (section 8.2 "Enable Reset (66h) and Reset Device (99h)");
// section 9.1 power-up timing: tVSL, VCC(min) to /CS low.
export const W25Q_TDP_US = 3;
export const W25Q_TRES1_US = 3;
export const W25Q_TRES2_US = 1.8;
export const W25Q_TRST_US = 30;
export const W25Q_TVSL_US = 20;

/**
 * Section 9.4 DC characteristics (typical, VCC 3.0 V): ICC1 standby 10 uA, ICC2 power-down 1 uA,
 * ICC3 read at 50 MHz 8 mA typ / 15 mA max (80 MHz 10/18, 104 MHz 12/20; the model charges the
 * 50 MHz figure while /CS is low on a read), ICC4-7 write status / program / erase 20 mA.
 */
export const W25Q_STANDBY_UA = 10;
export const W25Q_POWER_DOWN_UA = 1;
export const W25Q_READ_UA = 8000;
export const W25Q_WRITE_UA = 20000;

/** The instructions the model carries out (write status 01h is named in messages but not modelled). */
export function isModelledOp(op: number): boolean {
  return op === 0x02 || op === 0x03 || op === 0x04 || op === 0x05 || op === 0x06 || op === 0x0b || op === 0x20 ||
    op === 0x35 || op === 0x52 || op === 0x60 || op === 0x66 || op === 0x90 || op === 0x99 || op === 0x9f ||
    op === 0xab || op === 0xb9 || op === 0xc7 || op === 0xd8;
}

// Rules a command can break; index into the message table.
export const R_POWERED_DOWN = 0;
export const R_TRES1 = 1;
export const R_BUSY = 2;
export const R_TRST = 3;
export const R_TDP = 4;
export const R_NO_WEL = 5;
export const R_UNSUPPORTED = 6;
export const R_SHORT = 7;
export const R_TVSL = 8;
export const R_NO_RESET_ENABLE = 9;
const RULES = 10;

const NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x01, "write status"], [0x02, "page program"], [0x03, "read"], [0x04, "WRDI"], [0x05, "read status-1"],
  [0x06, "WREN"], [0x0b, "fast read"], [0x20, "sector erase"], [0x35, "read status-2"], [0x52, "32KB block erase"],
  [0x60, "chip erase"], [0x66, "enable reset"], [0x90, "manufacturer/device ID"], [0x99, "reset device"],
  [0x9f, "JEDEC ID"], [0xab, "release power-down/ID"], [0xb9, "power-down"], [0xc7, "chip erase"], [0xd8, "64KB block erase"],
];

function hex(op: number): string {
  return "0x" + (op < 16 ? "0" : "") + op.toString(16).toUpperCase();
}

function text(rule: number, what: string): string {
  switch (rule) {
    case R_POWERED_DOWN: return what + " while powered down (after 0xB9 only 0xAB is recognized, 'Power-down (B9h)'); ignored";
    case R_TRES1: return what + " during tRES1 (3us) after release 0xAB (9.6); ignored";
    case R_BUSY: return what + " while BUSY (only 0x05 read status is accepted during program/erase, 7.1.1); ignored";
    case R_TRST: return what + " during tRST (30us) after reset 0x66/0x99; ignored";
    case R_TDP: return what + " during tDP (3us) after power-down 0xB9 (9.6); ignored";
    case R_NO_WEL: return what + " without WREN 0x06 first (WEL=0); ignored";
    case R_UNSUPPORTED: return what + " is not modelled; ignored";
    case R_SHORT: return what + " ended (/CS high) before its address/data was complete; ignored";
    case R_TVSL: return what + " during tVSL (20us) after power-up (9.1); ignored";
    default: return what + " without enable reset 0x66 immediately before; ignored";
  }
}

/** Every (rule, opcode) message, built at construction so reporting a violation never allocates. */
export function buildMessages(): string[] {
  const table: string[] = new Array(RULES * 256);
  for (let op = 0; op < 256; op++) {
    let what = "command " + hex(op);
    for (let k = 0; k < NAMES.length; k++) if (NAMES[k][0] === op) what = what + " (" + NAMES[k][1] + ")";
    for (let rule = 0; rule < RULES; rule++) table[rule * 256 + op] = text(rule, what);
  }
  return table;
}
