// FT6206 registers, identity, power modes and the datasheet/application-note timing its driver follows.

// Registers (FocalTech FT6x06 datasheet register table / application note AN-FT6x06).
export const FT_TD_STATUS = 0x02;
export const FT_TH_GROUP = 0x80;
export const FT_CTRL = 0x86;
export const FT_TIME_ENTER_MONITOR = 0x87;
export const FT_PERIOD_ACTIVE = 0x88;
export const FT_G_MODE = 0xa4;
export const FT_PMODE = 0xa5;
export const PMODE_ACTIVE = 0;
export const PMODE_MONITOR = 1;
export const PMODE_HIBERNATE = 3;
/** ID_G_CIPHER (0xA3): 0x06 identifies an FT6206 (FT6236 answers 0x36, FT6x36 datasheets). */
export const FT_CHIP_ID = 0xa3;
export const FT6206_CHIP_ID = 0x06;

/** Registers saved in S2 and rewritten on resume, in this order (state-area bytes 0..4). */
export const FT_SAVED: readonly number[] = Object.freeze([FT_TH_GROUP, FT_CTRL, FT_TIME_ENTER_MONITOR, FT_PERIOD_ACTIVE, FT_G_MODE]);
/** State-area byte that says the saved registers are valid. */
export const ST_VALID = 5;
export const FT6206_STATE_BYTES = 6;

/** FocalTech power-mode note: hibernate is left by holding RSTN or WAKE low for more than 5 ms. */
export const WAKE_PULSE_US = 5000;
/** After RSTN the firmware needs 150 ms before I2C (Moddable's ft6206.js waits 150 ms, Linux FT_STARTUP_DLY). */
export const STARTUP_US = 150_000;

// How S3's low-power state is left.
export const WAKE_NONE_AVAILABLE = 0;
export const WAKE_BY_RESET = 1;
export const WAKE_BY_PIN = 2;
