// Wire time of simulated I2C and SPI transfers: bus clock, byte count and protocol overhead, in nanoseconds.

/*
 * I2C (NXP UM10204 §3.1.4-3.1.6: START, 8 data bits + the 9th-clock ACK per byte, STOP; the fast-mode
 * t_HD;STA, t_SU;STO limits are fractions of one SCL period at 400 kHz: datasheet-figures "I2C
 * transaction at 400 kHz"). One segment (a START or repeated START, the address byte, `bytes` data
 * bytes, then a STOP if `stop`) takes
 *
 *     periods = 1 (START / Sr) + 9 * (1 + bytes) + (stop ? 1 : 0)        t = periods / hz
 *
 * so a write of n bytes with STOP is 11 + 9n SCL periods (400 kHz: 27.5 + 22.5n us), and Moddable's
 * writeRead(1 register byte, m bytes) is a write segment without STOP plus a read segment with one:
 * (1 + 18) + (1 + 9(m + 1) + 1). A NAK ends after the address byte: START + 9 + STOP = 11 periods.
 * The ESP32 controller's command-list setup (ESP-IDF i2c_master_cmd_begin) is not charged.
 *
 * Periods are whole nanoseconds (periodNs: 1e9 / hz rounded; exact at 100 kHz, 400 kHz, 1/8/10/20/40
 * MHz), so all arithmetic on the transfer path stays in small integers.
 */
/** SCL periods charged for a START (or repeated START) and for a STOP. */
export const I2C_START_PERIODS = 1;
export const I2C_STOP_PERIODS = 1;
/** 8 data bits + the ACK/NAK bit (UM10204 §3.1.6). */
export const I2C_PERIODS_PER_BYTE = 9;

/** One bus clock period in whole nanoseconds (constructor time). */
export function periodNs(hz: number): number {
  return Math.max(1, Math.round(1_000_000_000 / hz));
}

/** SCL periods of one I2C segment: START/Sr, address byte, `bytes` data bytes, STOP if `stop`. */
export function i2cSegmentPeriods(bytes: number, stop: boolean): number {
  return I2C_START_PERIODS + I2C_PERIODS_PER_BYTE * (1 + bytes) + (stop ? I2C_STOP_PERIODS : 0);
}

/** Nanoseconds from START to the address byte's ACK: when the chip model sees the transfer. */
export function i2cAddressNs(period: number): number {
  return (I2C_START_PERIODS + I2C_PERIODS_PER_BYTE) * period;
}

/** Nanoseconds after the address phase: `bytes` data bytes and the STOP if `stop`. */
export function i2cDataNs(period: number, bytes: number, stop: boolean): number {
  return (I2C_PERIODS_PER_BYTE * bytes + (stop ? I2C_STOP_PERIODS : 0)) * period;
}

/** A NAKed address (a stalled chip adds its timeout): the STOP after the address byte. */
export function i2cStopNs(period: number): number {
  return I2C_STOP_PERIODS * period;
}

/*
 * SPI: 8 SCLK periods per byte at the configured hz (full duplex: MOSI and MISO share the clocks).
 * CS setup: one SCLK period from CS asserted to the first edge, charged each time a configuration
 * asserts its CS (Moddable's modSPI keeps CS low across calls until flush(true) or another
 * configuration is activated). ASSUMPTION (unverified): ESP-IDF's spi_device_interface_config_t
 * cs_ena_pretrans ("SPI bit-cycles the cs should be activated before the transmission", 0..16) is 0
 * for Moddable's devices, which still leaves the controller's minimum CS setup of one SPI clock
 * (ESP32 TRM, SPI_CS_SETUP_TIME counts value + 1 cycles). The driver's per-transaction software
 * overhead (queueing, polling) is not charged.
 */
export const SPI_CS_SETUP_PERIODS = 1;
export const SPI_PERIODS_PER_BYTE = 8;

/** Nanoseconds to clock `bytes` bytes. */
export function spiBytesNs(period: number, bytes: number): number {
  return SPI_PERIODS_PER_BYTE * bytes * period;
}

/** Nanoseconds of the CS setup. */
export function spiSelectNs(period: number): number {
  return SPI_CS_SETUP_PERIODS * period;
}
