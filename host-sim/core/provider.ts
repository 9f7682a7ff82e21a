// Builds an `embedded:provider/builtin`-shaped device object for a SimBoardIo from plain board pin data.
import type { SimBoardIo } from "./board-io";
import { makeDigitalClass, type SimDigitalClass } from "./io-digital";
import { makeDigitalBankClass, type SimDigitalBankClass } from "./io-digitalbank";
import { makePwmClass, type SimPwmClass } from "./io-pwm";
import { type I2cOptions, makeI2cClass, type SimI2cClass } from "./io-i2c";
import { type SerialOptions, makeSerialClass, type SimSerialClass } from "./io-serial";
import { makeSmbusClass, type SimSmbusClass } from "./io-smbus";
import { makeSpiClass, type SimSpiClass, type SpiOptions } from "./io-spi";

/** A board's wiring as data (what a Moddable board's host/provider.js spells out), e.g. boards/<board>. */
export interface BoardPinData {
  /** Named pins (`device.pin.led`). */
  readonly pins: Readonly<Record<string, number>>;
  /** Named I2C buses; `default` is what drivers use unless told otherwise. */
  readonly i2c?: Readonly<Record<string, Omit<I2cOptions, "address">>>;
  readonly spi?: Readonly<Record<string, SpiOptions>>;
  readonly serial?: Readonly<Record<string, SerialOptions>>;
}

export interface SimIoClasses {
  readonly Digital: SimDigitalClass;
  readonly DigitalBank: SimDigitalBankClass;
  readonly PWM: SimPwmClass;
  readonly I2C: SimI2cClass;
  readonly SMBus: SimSmbusClass;
  readonly SPI: SimSpiClass;
  readonly Serial: SimSerialClass;
}

export type WithIo<T, C> = T & { readonly io: C };

/** Same shape as Moddable's device: `new device.io.I2C({...device.I2C.default, address: 0x76})`. */
export interface SimDevice {
  readonly io: SimIoClasses;
  readonly pin: Readonly<Record<string, number>>;
  readonly I2C: Readonly<Record<string, WithIo<Omit<I2cOptions, "address">, SimI2cClass>>>;
  readonly SPI: Readonly<Record<string, WithIo<SpiOptions, SimSpiClass>>>;
  readonly Serial: Readonly<Record<string, WithIo<SerialOptions, SimSerialClass>>>;
  /** The simulated hardware behind the classes (the harness's handle; not present on a real board). */
  readonly board: SimBoardIo;
}

/** The IO classes bound to one simulated board (made once, at boot). */
export function makeIoClasses(board: SimBoardIo): SimIoClasses {
  const I2C = makeI2cClass(board);
  const DigitalBank = makeDigitalBankClass(board);
  return {
    Digital: makeDigitalClass(DigitalBank),
    DigitalBank,
    PWM: makePwmClass(board),
    I2C,
    SMBus: makeSmbusClass(board, I2C),
    SPI: makeSpiClass(board),
    Serial: makeSerialClass(board),
  };
}

export function createProvider(board: SimBoardIo, data: BoardPinData): SimDevice {
  const io = makeIoClasses(board);
  const pin: Record<string, number> = {};
  const names = Object.keys(data.pins);
  for (let i = 0; i < names.length; i++) {
    const p = data.pins[names[i]];
    if (!board.isValidPin(p)) throw new RangeError("provider: pin." + names[i] + " = " + String(p) + " is not a GPIO of " + board.soc.name + "; fix the board's pin map");
    pin[names[i]] = p;
  }
  return {
    io,
    pin: Object.freeze(pin),
    I2C: withIo(data.i2c, io.I2C),
    SPI: withIo(data.spi, io.SPI),
    Serial: withIo(data.serial, io.Serial),
    board,
  };
}

function withIo<T extends object, C>(entries: Readonly<Record<string, T>> | undefined, io: C): Readonly<Record<string, WithIo<T, C>>> {
  const out: Record<string, WithIo<T, C>> = {};
  if (entries === undefined) return Object.freeze(out);
  const names = Object.keys(entries);
  for (let i = 0; i < names.length; i++) {
    out[names[i]] = Object.freeze(Object.assign({}, entries[names[i]], { io })) as WithIo<T, C>;
  }
  return Object.freeze(out);
}
