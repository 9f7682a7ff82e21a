// embedded:provider/builtin for the ESP32-DevKitC V4 as quiesce wires it (pins from boards/esp32-devkitc/board.ts).
/*
 * Bare `-p esp32` has no Serial.default and an empty pin map, so this folder supplies them.
 * Serial.default is UART0 on TX 1 / RX 3 (the USB-UART bridge; light sleep can wake on its RX pad
 * GPIO3). UART2 (TX 17 / RX 16, WROOM-32 only: WROVER modules use 16/17 for PSRAM) carries telemetry.
 * SPI.default is VSPI (SPI3_HOST = 2) on its IO_MUX pins; the W25Q's CS is GPIO5.
 */
import Digital from "embedded:io/digital";
import I2C from "embedded:io/i2c";
import Serial from "embedded:io/serial";
import SPI from "embedded:io/spi";

const device = {
	I2C: {
		default: { io: I2C, data: 21, clock: 22, port: 0 }
	},
	Serial: {
		default: { io: Serial, port: 0, transmit: 1, receive: 3 },
		telemetry: { io: Serial, port: 2, transmit: 17, receive: 16 }
	},
	SPI: {
		default: { io: SPI, clock: 18, in: 19, out: 23, port: 2 }
	},
	io: { Digital, I2C, Serial, SPI },
	pin: {
		button: 0,
		led: 2,
		flashSelect: 5
	}
};

export default device;
