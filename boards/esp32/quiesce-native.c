// quiesce native module for ESP32 (ESP-IDF v6.0, Moddable SDK 8.2.x): critical section, other-CPU stall, light/deep sleep, wake cause, RTC state image.
/*
 * Every host function takes and returns numbers (or a buffer the caller owns) and allocates nothing:
 * they run on the suspend path and inside the critical section. The JavaScript face is
 * boards/esp32/native.ts; the Platform built on it is boards/esp32/platform.ts.
 *
 * Wake causes returned to JavaScript use runtime/status.ts: >= 0 an IRQ line (GPIO number, or
 * uartLine for the console UART), WAKE_TIMER -2, WAKE_RESET -4.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "xsmc.h"
#include "sdkconfig.h"
#include "esp_err.h"
#include "esp_attr.h"
#include "esp_timer.h"
#include "esp_rtc_time.h"
#include "esp_system.h"
#include "esp_sleep.h"
#include "esp_ipc_isr.h"
#include "freertos/FreeRTOS.h"
#include "driver/gpio.h"
#include "driver/uart.h"

// Wake causes as runtime/status.ts names them (WAKE_*); test/esp32/native-codes.test.ts compares every code here with its TypeScript twin.
#define WAKE_TIMER (-2)
#define WAKE_RESET (-4)

// Reset reasons as native.ts names them (RESET_*).
#define RESET_POWER_ON 0
#define RESET_DEEP_SLEEP 1
#define RESET_SOFTWARE 2
#define RESET_WATCHDOG 3
#define RESET_BROWNOUT 4
#define RESET_OTHER 5

// Counters read by xs_quiesce_stat (native.ts STAT_*).
#define STAT_CRITICAL_ENTRIES 0
#define STAT_CRITICAL_MAX_US 1
#define STAT_CRITICAL_LAST_US 2
#define STAT_LIGHT_SLEEPS 3
#define STAT_LAST_ERROR 4
#define STAT_LAST_RAW_CAUSE 5
#define STAT_SLEEP_REJECTS 6
#define STAT_STALL_DEPTH 7
#define STAT_COUNT 8

// Image results (native.ts IMAGE_*).
#define IMAGE_NONE (-1)
#define IMAGE_BAD_CHECKSUM (-2)
#define IMAGE_TOO_LARGE (-3)
#define IMAGE_IN_FLASH (-4)

// Fields read by xs_quiesce_image_info (native.ts IMAGE_INFO_*).
#define IMAGE_INFO_VALID 0
#define IMAGE_INFO_LENGTH 1
#define IMAGE_INFO_CHECKSUM 2
#define IMAGE_INFO_FLASH_ADDRESS 3
#define IMAGE_INFO_SEQUENCE 4

#ifndef MODDEF_QUIESCE_RTCIMAGEBYTES
	// ESP32 RTC slow memory is 8 KB (TRM 1.3.2.2), shared with ESP-IDF's own RTC data: 2 KB leaves room.
	#define MODDEF_QUIESCE_RTCIMAGEBYTES 2048
#endif
#define QUIESCE_IMAGE_MAGIC 0x51534345u /* "QSCE" */

/*
 * The hibernate header lives in RTC slow memory: it survives deep sleep (not power-on reset), so on
 * boot a valid magic plus a matching checksum means "woken from our hibernate with this image".
 * The magic is written last and cleared first, so a torn write never validates.
 */
typedef struct {
	uint32_t magic;
	uint32_t length;
	uint32_t checksum;
	int32_t flashAddress;	// >= 0: the storage device holds the image there; the inline copy is absent
	uint32_t sequence;		// hibernations since power-on
} QuiesceImageHeader;

RTC_DATA_ATTR static QuiesceImageHeader gHeader;
// The RTC clock keeps counting through deep sleep (esp_rtc_get_time_us): its value at the sleep's start
// gives the sleep's length at the next boot. 0: no deep sleep of ours began since power-on.
RTC_DATA_ATTR static int64_t gDeepSleepRtcUs;
RTC_DATA_ATTR static uint8_t gImage[MODDEF_QUIESCE_RTCIMAGEBYTES];

// One spinlock of our own: nests with ESP-IDF's (esp_light_sleep_start takes s_config.lock inside it).
static portMUX_TYPE gMux = portMUX_INITIALIZER_UNLOCKED;
static int64_t gCriticalStart;
static int64_t gSleptUs;
static uint32_t gStat[STAT_COUNT];

void xs_quiesce_now_us(xsMachine *the);
void xs_quiesce_enter_critical(xsMachine *the);
void xs_quiesce_leave_critical(xsMachine *the);
void xs_quiesce_stall_other(xsMachine *the);
void xs_quiesce_release_other(xsMachine *the);
void xs_quiesce_light_sleep(xsMachine *the);
void xs_quiesce_deep_sleep(xsMachine *the);
void xs_quiesce_reset_reason(xsMachine *the);
void xs_quiesce_boot_wake_cause(xsMachine *the);
void xs_quiesce_boot_slept_us(xsMachine *the);
void xs_quiesce_image_save(xsMachine *the);
void xs_quiesce_image_load(xsMachine *the);
void xs_quiesce_image_verify(xsMachine *the);
void xs_quiesce_image_clear(xsMachine *the);
void xs_quiesce_image_info(xsMachine *the);
void xs_quiesce_stat(xsMachine *the);
void xs_quiesce_debug_build(xsMachine *the);

// FNV-1a, 32 bit: no table (nothing in flash or RAM to spare), strong enough to reject a stale image.
static uint32_t checksum(const uint8_t *data, uint32_t length)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < length; i++) {
		h ^= data[i];
		h *= 16777619u;
	}
	return h;
}

// ext1 modes as boards/esp32-wake.ts names them (EXT1_*), mapped to esp_sleep_ext1_wakeup_mode_t below.
#define EXT1_ALL_LOW 0
#define EXT1_ANY_HIGH 1
#define ESP32_GPIO_COUNT 40

// GPIO masks arrive as JavaScript numbers (bit n = GPIO n): 40 bits are exact in a double.
#define GPIO_BIT(pin) (1ull << (uint32_t)(pin))

static int lowestPin(uint64_t mask)
{
	for (int pin = 0; pin < ESP32_GPIO_COUNT; pin++)
		if (mask & GPIO_BIT(pin))
			return pin;
	return -1;
}

// The first pin of `mask` at its wake level (1 where `high` has its bit, else 0), or -1.
static int activePin(uint64_t mask, uint64_t high)
{
	for (int pin = 0; pin < ESP32_GPIO_COUNT; pin++)
		if ((mask & GPIO_BIT(pin)) && (gpio_get_level((gpio_num_t)pin) == ((high & GPIO_BIT(pin)) ? 1 : 0)))
			return pin;
	return -1;
}

/*
 * ESP-IDF v6.0 reports every source that ended the sleep as a bit (esp_sleep_get_wakeup_causes; the
 * single-cause esp_sleep_get_wakeup_cause is deprecated). When several fired together, the GPIO wake
 * (a user's press) wins over the UART and the timer, so the runtime records the cause a person made.
 * `gpioPin` is the pin the caller found behind a GPIO, ext0 or ext1 cause.
 */
#define CAUSE_BIT(source) (1u << (uint32_t)(source))
static int mapCause(uint32_t causes, int gpioPin, int uartLine)
{
	gStat[STAT_LAST_RAW_CAUSE] = causes;
	if (causes & (CAUSE_BIT(ESP_SLEEP_WAKEUP_EXT0) | CAUSE_BIT(ESP_SLEEP_WAKEUP_EXT1) | CAUSE_BIT(ESP_SLEEP_WAKEUP_GPIO)))
		return gpioPin;
	if (causes & (CAUSE_BIT(ESP_SLEEP_WAKEUP_UART) | CAUSE_BIT(ESP_SLEEP_WAKEUP_UART1)))
		return uartLine;
	if (causes & CAUSE_BIT(ESP_SLEEP_WAKEUP_TIMER))
		return WAKE_TIMER;
	return WAKE_RESET;
}

void xs_quiesce_now_us(xsMachine *the)
{
	// A double holds microseconds exactly for 285 years.
	xsmcSetNumber(xsResult, (double)esp_timer_get_time());
}

/*
 * Masks this core's interrupts up to level 3 (every ESP-IDF driver ISR, the GPIO ISR that posts
 * Digital events, the FreeRTOS tick). Keep it short: the interrupt watchdog resets the chip after
 * CONFIG_ESP_INT_WDT_TIMEOUT_MS (300 ms) without a tick, and nothing inside may block or allocate.
 */
void xs_quiesce_enter_critical(xsMachine *the)
{
	(void)the;
	portENTER_CRITICAL(&gMux);
	gStat[STAT_CRITICAL_ENTRIES]++;
	gCriticalStart = esp_timer_get_time();
	gSleptUs = 0;
}

void xs_quiesce_leave_critical(xsMachine *the)
{
	(void)the;
	// Time asleep is not time masked: light sleep stops the watchdogs' clocks too.
	int64_t held = esp_timer_get_time() - gCriticalStart - gSleptUs;
	gStat[STAT_CRITICAL_LAST_US] = (uint32_t)held;
	if ((uint32_t)held > gStat[STAT_CRITICAL_MAX_US])
		gStat[STAT_CRITICAL_MAX_US] = (uint32_t)held;
	portEXIT_CRITICAL(&gMux);
}

// The other core spins in a level-4 interrupt until released (ESP-IDF esp_ipc_isr); calls nest.
void xs_quiesce_stall_other(xsMachine *the)
{
	(void)the;
#if !CONFIG_FREERTOS_UNICORE
	esp_ipc_isr_stall_other_cpu();
	gStat[STAT_STALL_DEPTH]++;
#endif
}

void xs_quiesce_release_other(xsMachine *the)
{
	(void)the;
#if !CONFIG_FREERTOS_UNICORE
	if (gStat[STAT_STALL_DEPTH] == 0)
		return;
	gStat[STAT_STALL_DEPTH]--;
	esp_ipc_isr_release_other_cpu();
#endif
}

/*
 * Our stall must not be held across esp_light_sleep_start/esp_deep_sleep_try_to_start: they take
 * the esp_timer and clock locks *before* stalling the other CPU themselves (ESP-IDF IDF-5257 note in
 * sleep_modes.c), and a core we stalled while it held one of those locks would deadlock them.
 */
static uint32_t releaseStall(void)
{
	uint32_t depth = gStat[STAT_STALL_DEPTH];
#if !CONFIG_FREERTOS_UNICORE
	for (uint32_t i = 0; i < depth; i++)
		esp_ipc_isr_release_other_cpu();
#endif
	return depth;
}

static void restoreStall(uint32_t depth)
{
#if !CONFIG_FREERTOS_UNICORE
	for (uint32_t i = 0; i < depth; i++)
		esp_ipc_isr_stall_other_cpu();
#else
	(void)depth;
#endif
}

/*
 * lightSleep(wakeMask, highMask, uartPort, uartThreshold, uartLine, timerUs) -> wake cause.
 * Every GPIO of wakeMask wakes, at level 1 if highMask has it, else 0 (ESP-IDF Sleep Modes, "GPIO
 * Wakeup (Light-sleep Only)": any GPIO, each with its own level). wakeMask 0, uartPort < 0 or
 * timerUs <= 0 leave that source off. Called with IRQs masked.
 */
void xs_quiesce_light_sleep(xsMachine *the)
{
	uint64_t wakeMask = (uint64_t)xsmcToNumber(xsArg(0));
	uint64_t highMask = (uint64_t)xsmcToNumber(xsArg(1));
	int uartPort = xsmcToInteger(xsArg(2));
	int uartThreshold = xsmcToInteger(xsArg(3));
	int uartLine = xsmcToInteger(xsArg(4));
	double timerUs = xsmcToNumber(xsArg(5));
	esp_err_t err;
	int cause;
	int pin;

	esp_sleep_disable_wakeup_source(ESP_SLEEP_WAKEUP_ALL);
	if (wakeMask) {
		// A level wake: a button already held at sleep entry wakes at once instead of being missed.
		pin = activePin(wakeMask, highMask);
		if (pin >= 0) {
			xsmcSetInteger(xsResult, pin);
			return;
		}
		for (pin = 0; pin < ESP32_GPIO_COUNT; pin++)
			if (wakeMask & GPIO_BIT(pin))
				gpio_wakeup_enable((gpio_num_t)pin, (highMask & GPIO_BIT(pin)) ? GPIO_INTR_HIGH_LEVEL : GPIO_INTR_LOW_LEVEL);
		esp_sleep_enable_gpio_wakeup();
	}
	if (uartPort >= 0) {
		// ESP32: the RX pad must be the port's IO_MUX pin (UART0: GPIO3); the waking character is lost.
		uart_set_wakeup_threshold((uart_port_t)uartPort, uartThreshold);
		esp_sleep_enable_uart_wakeup(uartPort);
	}
	if (timerUs > 0)
		esp_sleep_enable_timer_wakeup((uint64_t)timerUs);

	uint32_t depth = releaseStall();
	int64_t before = esp_timer_get_time();
	err = esp_light_sleep_start();
	gSleptUs += esp_timer_get_time() - before;
	restoreStall(depth);

	// An ESP32 GPIO wake reports no pin (ESP_SLEEP_WAKEUP_GPIO only): the armed pin still at its level
	// is the one, else (a pulse already over) the lowest armed pin.
	pin = activePin(wakeMask, highMask);
	gStat[STAT_LAST_ERROR] = (uint32_t)err;
	if (ESP_OK == err) {
		gStat[STAT_LIGHT_SLEEPS]++;
		cause = mapCause(esp_sleep_get_wakeup_causes(), (pin >= 0) ? pin : lowestPin(wakeMask), uartLine);
	}
	else {
		// Rejected: a wake source fired between configuration and sleep. Report the one that is active.
		gStat[STAT_SLEEP_REJECTS]++;
		if (pin >= 0)
			cause = pin;
		else if (uartPort >= 0)
			cause = uartLine;
		else
			cause = WAKE_TIMER;
	}
	for (pin = 0; pin < ESP32_GPIO_COUNT; pin++) {
		if (!(wakeMask & GPIO_BIT(pin)))
			continue;
		// gpio_wakeup_enable switched the pin to a level interrupt; Digital (edge Rising|Falling) needs any-edge back.
		gpio_wakeup_disable((gpio_num_t)pin);
		gpio_set_intr_type((gpio_num_t)pin, GPIO_INTR_ANYEDGE);
	}
	esp_sleep_disable_wakeup_source(ESP_SLEEP_WAKEUP_ALL);
	xsmcSetInteger(xsResult, cause);
}

/*
 * deepSleep(ext0Pin, ext0Level, ext1Mask, ext1Mode, timerUs) -> wake cause, only if the sleep was
 * rejected; otherwise the chip resets on wake and boots through main.ts. ext0Pin (-1: none) and the
 * pins of ext1Mask are RTC GPIOs (boards/esp32-wake.ts refuses anything else at boot). ESP-IDF Sleep
 * Modes: ext0 is one pin at a level; ext1 a mask with one mode, ALL_LOW or ANY_HIGH on the ESP32.
 */
void xs_quiesce_deep_sleep(xsMachine *the)
{
	int ext0Pin = xsmcToInteger(xsArg(0));
	int ext0Level = xsmcToInteger(xsArg(1));
	uint64_t ext1Mask = (uint64_t)xsmcToNumber(xsArg(2));
	int ext1Mode = xsmcToInteger(xsArg(3));
	double timerUs = xsmcToNumber(xsArg(4));
	uint64_t ext0Bit = (ext0Pin >= 0) ? GPIO_BIT(ext0Pin) : 0;
	uint64_t deepHigh = ((EXT1_ANY_HIGH == ext1Mode) ? ext1Mask : 0) | (ext0Level ? ext0Bit : 0);
	esp_err_t err = ESP_OK;
	int pin;

	esp_sleep_disable_wakeup_source(ESP_SLEEP_WAKEUP_ALL);
	// ext0 samples the pad through the RTC IO mux; RTC_PERIPH stays on so the pull-ups hold the buttons high (ext1 too).
	if (ext0Bit | ext1Mask)
		esp_sleep_pd_config(ESP_PD_DOMAIN_RTC_PERIPH, ESP_PD_OPTION_ON);
	if (ext0Pin >= 0)
		err = esp_sleep_enable_ext0_wakeup((gpio_num_t)ext0Pin, ext0Level);
	if ((ESP_OK == err) && ext1Mask)
		err = esp_sleep_enable_ext1_wakeup(ext1Mask, (EXT1_ANY_HIGH == ext1Mode) ? ESP_EXT1_WAKEUP_ANY_HIGH : ESP_EXT1_WAKEUP_ALL_LOW);
	if ((ESP_OK == err) && (timerUs > 0))
		err = esp_sleep_enable_timer_wakeup((uint64_t)timerUs);
	if (ESP_OK == err) {
		uint32_t depth = releaseStall();
		gDeepSleepRtcUs = (int64_t)esp_rtc_get_time_us();
		err = esp_deep_sleep_try_to_start();
		gDeepSleepRtcUs = 0;
		restoreStall(depth);
	}
	gStat[STAT_LAST_ERROR] = (uint32_t)err;
	gStat[STAT_SLEEP_REJECTS]++;
	esp_sleep_disable_wakeup_source(ESP_SLEEP_WAKEUP_ALL);
	// Rejected: the pin at its level is the cause; else ext0's, else ext1's lowest, else the timer.
	pin = activePin(ext0Bit | ext1Mask, deepHigh);
	if (pin < 0)
		pin = (ext0Pin >= 0) ? ext0Pin : lowestPin(ext1Mask);
	xsmcSetInteger(xsResult, (pin >= 0) ? pin : WAKE_TIMER);
}

void xs_quiesce_reset_reason(xsMachine *the)
{
	int reason;
	switch (esp_reset_reason()) {
		case ESP_RST_POWERON: reason = RESET_POWER_ON; break;
		case ESP_RST_DEEPSLEEP: reason = RESET_DEEP_SLEEP; break;
		case ESP_RST_SW: reason = RESET_SOFTWARE; break;
		case ESP_RST_PANIC:
		case ESP_RST_INT_WDT:
		case ESP_RST_TASK_WDT:
		case ESP_RST_WDT: reason = RESET_WATCHDOG; break;
		case ESP_RST_BROWNOUT: reason = RESET_BROWNOUT; break;
		default: reason = RESET_OTHER; break;
	}
	xsmcSetInteger(xsResult, reason);
}

// bootWakeCause(ext0Pin, ext1Mask, uartLine): what ended the deep sleep this boot came from; an ext1 wake names its pin (esp_sleep_get_ext1_wakeup_status).
void xs_quiesce_boot_wake_cause(xsMachine *the)
{
	int ext0Pin = xsmcToInteger(xsArg(0));
	uint64_t ext1Mask = (uint64_t)xsmcToNumber(xsArg(1));
	int uartLine = xsmcToInteger(xsArg(2));
	uint32_t causes = esp_sleep_get_wakeup_causes();
	int pin = ext0Pin;
	if (causes & CAUSE_BIT(ESP_SLEEP_WAKEUP_EXT1)) {
		pin = lowestPin(esp_sleep_get_ext1_wakeup_status() & ext1Mask);
		if (pin < 0)
			pin = lowestPin(ext1Mask);
	}
	xsmcSetInteger(xsResult, mapCause(causes, pin, uartLine));
}

// bootSleptUs() -> how long the deep sleep this boot came from lasted by the RTC clock, or -1 if unknown.
void xs_quiesce_boot_slept_us(xsMachine *the)
{
	int64_t now = (int64_t)esp_rtc_get_time_us();
	double slept = -1;
	if ((ESP_RST_DEEPSLEEP == esp_reset_reason()) && (gDeepSleepRtcUs > 0) && (now >= gDeepSleepRtcUs))
		slept = (double)(now - gDeepSleepRtcUs);
	gDeepSleepRtcUs = 0;
	xsmcSetNumber(xsResult, slept);
}

/*
 * imageSave(buffer, flashAddress) -> bytes kept inline in RTC memory (0 when only the header is kept
 * because the storage device holds the image at flashAddress), or IMAGE_TOO_LARGE.
 */
void xs_quiesce_image_save(xsMachine *the)
{
	void *data;
	xsUnsignedValue length;
	int32_t flashAddress = xsmcToInteger(xsArg(1));
	uint32_t inlineLength;

	xsmcGetBufferReadable(xsArg(0), &data, &length);
	gHeader.magic = 0;
	if (length <= MODDEF_QUIESCE_RTCIMAGEBYTES)
		inlineLength = (uint32_t)length;
	else if (flashAddress >= 0)
		inlineLength = 0;
	else {
		xsmcSetInteger(xsResult, IMAGE_TOO_LARGE);
		return;
	}
	if (inlineLength)
		memcpy(gImage, data, inlineLength);
	gHeader.length = (uint32_t)length;
	gHeader.checksum = checksum((const uint8_t *)data, (uint32_t)length);
	gHeader.flashAddress = inlineLength ? -1 : flashAddress;
	gHeader.sequence++;
	gHeader.magic = QUIESCE_IMAGE_MAGIC;
	xsmcSetInteger(xsResult, (xsIntegerValue)inlineLength);
}

// imageLoad(buffer) -> image length copied into buffer, or IMAGE_NONE / IMAGE_BAD_CHECKSUM / IMAGE_TOO_LARGE / IMAGE_IN_FLASH.
void xs_quiesce_image_load(xsMachine *the)
{
	void *data;
	xsUnsignedValue length;

	xsmcGetBufferWritable(xsArg(0), &data, &length);
	if (QUIESCE_IMAGE_MAGIC != gHeader.magic) {
		xsmcSetInteger(xsResult, IMAGE_NONE);
		return;
	}
	if (gHeader.length > length) {
		xsmcSetInteger(xsResult, IMAGE_TOO_LARGE);
		return;
	}
	if (gHeader.flashAddress >= 0) {
		xsmcSetInteger(xsResult, IMAGE_IN_FLASH);
		return;
	}
	if (checksum(gImage, gHeader.length) != gHeader.checksum) {
		xsmcSetInteger(xsResult, IMAGE_BAD_CHECKSUM);
		return;
	}
	memcpy(data, gImage, gHeader.length);
	xsmcSetInteger(xsResult, (xsIntegerValue)gHeader.length);
}

// imageVerify(buffer) -> image length if the buffer (read back from flash by the storage driver) matches the header.
void xs_quiesce_image_verify(xsMachine *the)
{
	void *data;
	xsUnsignedValue length;

	xsmcGetBufferReadable(xsArg(0), &data, &length);
	if ((QUIESCE_IMAGE_MAGIC != gHeader.magic) || (gHeader.length > length))
		xsmcSetInteger(xsResult, IMAGE_NONE);
	else if (checksum((const uint8_t *)data, gHeader.length) != gHeader.checksum)
		xsmcSetInteger(xsResult, IMAGE_BAD_CHECKSUM);
	else
		xsmcSetInteger(xsResult, (xsIntegerValue)gHeader.length);
}

void xs_quiesce_image_clear(xsMachine *the)
{
	(void)the;
	gHeader.magic = 0;
}

// imageInfo(field): valid (1/0), length, checksum, flash address (-1 inline), sequence; -1 for an unknown field.
void xs_quiesce_image_info(xsMachine *the)
{
	double value;
	switch (xsmcToInteger(xsArg(0))) {
		case IMAGE_INFO_VALID: value = (QUIESCE_IMAGE_MAGIC == gHeader.magic) ? 1 : 0; break;
		case IMAGE_INFO_LENGTH: value = gHeader.length; break;
		case IMAGE_INFO_CHECKSUM: value = gHeader.checksum; break;
		case IMAGE_INFO_FLASH_ADDRESS: value = gHeader.flashAddress; break;
		case IMAGE_INFO_SEQUENCE: value = gHeader.sequence; break;
		default: value = -1; break;
	}
	xsmcSetNumber(xsResult, value);
}

void xs_quiesce_stat(xsMachine *the)
{
	xsIntegerValue index = xsmcToInteger(xsArg(0));
	if ((index < 0) || (index >= STAT_COUNT))
		xsmcSetNumber(xsResult, -1);
	else
		xsmcSetNumber(xsResult, (double)gStat[index]);
}

// 1 in a debug build (mxDebug: UART0 carries the xsbug protocol, so the console must not open it).
void xs_quiesce_debug_build(xsMachine *the)
{
#ifdef mxDebug
	xsmcSetInteger(xsResult, 1);
#else
	xsmcSetInteger(xsResult, 0);
#endif
}
