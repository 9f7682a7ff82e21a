// Engine-neutral simulator core: virtual clock, simulated ECMA-419 IO, the board's event queue and provider.
/*
 * Exports (no Node APIs; runs under XS too):
 *   VirtualClock        clock.ts      microsecond clock, fixed timer slots, (deadline, slot) order, seeded random()
 *   Xorshift32          xorshift.ts   the seeded PRNG behind clock.random
 *   SimBoardIo          board-io.ts   one board's pins, I2C/SPI buses, UARTs, event queue; driveInput/level/attach*
 *   SimPins             pin-pads.ts   the GPIO pads SimBoardIo extends: owners, drive, pulls, levels, watchers
 *   SimI2cBus           i2c-bus.ts    SimBoardIo.i2c: I2C chips by pins and address, open instances
 *   EventQueue, IrqSink event-queue.ts Moddable's task queue (queueLength, overflow counted) drained into an IrqSink
 *   SimUart             uart.ts       UART FIFOs at the baud rate, RX timeout, serial.c's ISR
 *   ESP32, SocData      soc.ts        chip facts (valid/input-only GPIOs, ports, FIFO sizes)
 *   make*Class          io-*.ts       Digital, I2C, SMBus, SPI, Serial classes bound to a SimBoardIo
 *   createProvider      provider.ts   `embedded:provider/builtin`-shaped device from BoardPinData
 *   contracts           contracts.ts  Clock, I2cTarget, SpiTarget, UartPeer, PowerModel, ViolationSink
 *
 * Wiring at boot:
 *   const clock = new VirtualClock(slots, seed);            // slots >= 1 + 2 * soc.uartPorts + models' timers
 *   const board = new SimBoardIo(clock, {queueLength: 10});
 *   for (let l = 0; l < board.lineCount; l++) irq.register(l, board.deliver, wake(l));
 *   board.setSink(irq);                                     // GPIO n is line n; UART p is line soc.gpioCount + p
 *   const device = createProvider(board, pinData);
 */
export * from "./contracts";
export { VirtualClock } from "./clock";
export { Xorshift32 } from "./xorshift";
export { ESP32, type SocData } from "./soc";
export { EventQueue, type IrqSink } from "./event-queue";
export { SimUart, TX_THRESHOLD, RX_TIMEOUT_CHARS, type UartOwner } from "./uart";
export { SimBoardIo, type SimBoardOptions, type SpiSelection } from "./board-io";
export { SimPins } from "./pin-pads";
export { SimI2cBus } from "./i2c-bus";
export { makeDigitalClass, type DigitalOptions, type SimDigital, type SimDigitalClass } from "./io-digital";
export { makeDigitalBankClass, type DigitalBankOptions, type SimDigitalBank, type SimDigitalBankClass } from "./io-digitalbank";
export { makePwmClass, type PwmOptions, type SimPwm, type SimPwmClass } from "./io-pwm";
export { SimLedc } from "./ledc";
export { makeI2cClass, type I2cOptions, type SimI2c, type SimI2cClass } from "./io-i2c";
export { makeSmbusClass, type SmbusOptions, type SimSmbus, type SimSmbusClass } from "./io-smbus";
export { makeSpiClass, type SpiOptions, type SimSpi, type SimSpiClass } from "./io-spi";
export { makeSerialClass, type SerialOptions, type SimSerial, type SimSerialClass } from "./io-serial";
export { createProvider, makeIoClasses, type BoardPinData, type SimDevice, type SimIoClasses } from "./provider";
