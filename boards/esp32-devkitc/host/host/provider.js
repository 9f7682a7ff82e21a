// embedded:provider/builtin for ESP32-DevKitC V4 as quiesce wires it (pins from boards/esp32-devkitc/board.ts).
/*
 * Only the ECMA-419 classes the firmware's manifest includes. Serial.default is UART0 on its IO_MUX
 * pins (TX 1, RX 3): light sleep can be woken by UART0 only through GPIO3 (ESP-IDF
 * uart_set_wakeup_threshold note), and in a release build nothing else uses UART0 (debug builds give
 * it to xsbug and main.ts then opens no console).
 */
import Digital from "embedded:io/digital";
import DigitalBank from "embedded:io/digitalbank";
import I2C from "embedded:io/i2c";
import SMBus from "embedded:io/smbus";
import PWM from "embedded:io/pwm";
import Serial from "embedded:io/serial";
import SPI from "embedded:io/spi";

const device = {
	I2C: {
		default: { io: I2C, data: 21, clock: 22, port: 0 }
	},
	Serial: {
		default: { io: Serial, port: 0, transmit: 1, receive: 3 }
	},
	SPI: {
		// VSPI = SPI3_HOST on its IO_MUX pins.
		default: { io: SPI, clock: 18, in: 19, out: 23, port: 2 }
	},
	io: { Digital, DigitalBank, I2C, PWM, Serial, SMBus, SPI },
	pin: {
		button: 0,
		led: 2,
		i2cData: 21,
		i2cClock: 22,
		spiClock: 18,
		spiMiso: 19,
		spiMosi: 23,
		flashSelect: 5,
		telemetryTx: 17,
		telemetryRx: 16
	}
};

export default device;
