// ILI9341 command opcodes, datasheet waits and the driver's state-area layout (numbers only, shared by driver and tests).

// ILITEK ILI9341 datasheet V1.11, chapter 8 (command list).
export const SWRESET = 0x01;
export const SLPIN = 0x10;
export const SLPOUT = 0x11;
export const INVON = 0x21;
export const DISPOFF = 0x28;
export const DISPON = 0x29;
export const CASET = 0x2a;
export const PASET = 0x2b;
export const RAMWR = 0x2c;
export const MADCTL = 0x36;
export const COLMOD = 0x3a;

/** 8.2.2 SWRESET, 8.2.11 SLPIN, 8.2.12 SLPOUT: 5 ms before the next command. */
export const SETTLE_US = 5000;
/** 8.2.11 / 8.2.12: 120 ms between SLPOUT and the next SLPIN, and between SLPIN and the next SLPOUT. */
export const SLEEP_GAP_US = 120_000;

/** COLMOD 0x55: 16 bits per pixel on both interfaces (RGB565), what Moddable's ili9341 driver sets. */
export const COLMOD_RGB565 = 0x55;

// State area (bytes of the device's arena slot), written in S2 so a hibernate image holds it.
export const ST_MADCTL = 0;
export const ST_COLMOD = 1;
export const ST_INVERT = 2;
/** 1 once S2 saved the registers (a zeroed area after a failed image read is not restored). */
export const ST_VALID = 3;
export const ILI9341_STATE_BYTES = 4;

/** Pixel bytes per DMA chunk: Moddable's ESP32 SPI uses 1 KB-class transaction buffers. */
export const CHUNK_BYTES = 1024;
