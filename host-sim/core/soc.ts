// Chip facts the simulated IO enforces (which GPIOs exist, which are input-only, port counts, FIFO depths).

export interface SocData {
  readonly name: string;
  /** GPIO numbers 0..gpioCount-1; IRQ lines 0..gpioCount-1 are the GPIOs, the UARTs follow. */
  readonly gpioCount: number;
  /** GPIOs that exist (SOC_GPIO_VALID_GPIO_MASK). Others are refused like a pin in use. */
  readonly validPins: readonly number[];
  /** GPIOs without an output driver (not in SOC_GPIO_VALID_OUTPUT_GPIO_MASK). */
  readonly inputOnlyPins: readonly number[];
  readonly i2cPorts: number;
  /** Accepted SPI host ids (spi_host_device_t). */
  readonly spiHosts: readonly number[];
  readonly uartPorts: number;
  /** UART TX and RX hardware FIFO depth in bytes. */
  readonly uartFifoBytes: number;
  /** RX FIFO level that raises RXFIFO_FULL (UART_RXFIFO_FULL_THRHD reset value). */
  readonly uartRxFullThreshold: number;
}

/**
 * ESP32 (the DevKitC's ESP32-WROOM-32). ESP32 TRM: GPIO 20, 24 and 28-31 are not bonded out
 * (soc_caps.h SOC_GPIO_VALID_GPIO_MASK); 34-39 are input-only. Two I2C controllers (I2C_NUM_MAX),
 * SPI1/2/3_HOST = 0/1/2, three UARTs with 128-byte FIFOs; UART_RXFIFO_FULL_THRHD resets to 0x60.
 */
export const ESP32: SocData = {
  name: "esp32",
  gpioCount: 40,
  validPins: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39],
  inputOnlyPins: [34, 35, 36, 37, 38, 39],
  i2cPorts: 2,
  spiHosts: [0, 1, 2],
  uartPorts: 3,
  uartFifoBytes: 128,
  uartRxFullThreshold: 96,
};
