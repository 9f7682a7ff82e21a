// Runs quiesce-native.c's sleep calls on the host over recording ESP-IDF stubs and prints every call: test/esp32/native-wake.test.ts reads the lines.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xsmc.h"
#include "esp_sleep.h"
#include "esp_system.h"
#include "driver/gpio.h"
#include "freertos/FreeRTOS.h"

double gArgs[8];
double gResult;
/* Pad levels (bit n = GPIO n high); the pin `gWakeBy` goes to `gWakeLevel` during the sleep. */
static uint64_t gLevels;
static int gWakeBy = -1;
static int gWakeLevel;
static uint32_t gCauses;
static uint64_t gExt1Status;
static esp_err_t gSleepResult = ESP_OK;

void xs_quiesce_light_sleep(xsMachine *the);
void xs_quiesce_deep_sleep(xsMachine *the);
void xs_quiesce_boot_wake_cause(xsMachine *the);

int gpio_get_level(gpio_num_t pin) { return (gLevels >> pin) & 1 ? 1 : 0; }
esp_err_t gpio_wakeup_enable(gpio_num_t pin, gpio_int_type_t t) { printf("gpio_wakeup_enable(%d,%s)\n", pin, t == GPIO_INTR_HIGH_LEVEL ? "HIGH" : "LOW"); return ESP_OK; }
esp_err_t gpio_wakeup_disable(gpio_num_t pin) { printf("gpio_wakeup_disable(%d)\n", pin); return ESP_OK; }
esp_err_t gpio_set_intr_type(gpio_num_t pin, gpio_int_type_t t) { (void)pin; (void)t; return ESP_OK; }
esp_err_t esp_sleep_enable_gpio_wakeup(void) { printf("esp_sleep_enable_gpio_wakeup\n"); return ESP_OK; }
esp_err_t esp_sleep_enable_ext0_wakeup(gpio_num_t pin, int level) { printf("esp_sleep_enable_ext0_wakeup(%d,%d)\n", pin, level); return ESP_OK; }
esp_err_t esp_sleep_enable_ext1_wakeup(uint64_t mask, esp_sleep_ext1_wakeup_mode_t mode) {
	printf("esp_sleep_enable_ext1_wakeup(0x%llx,%s)\n", (unsigned long long)mask, mode == ESP_EXT1_WAKEUP_ANY_HIGH ? "ANY_HIGH" : "ALL_LOW");
	return ESP_OK;
}
uint64_t esp_sleep_get_ext1_wakeup_status(void) { return gExt1Status; }
esp_err_t esp_sleep_enable_timer_wakeup(uint64_t us) { printf("esp_sleep_enable_timer_wakeup(%llu)\n", (unsigned long long)us); return ESP_OK; }
esp_err_t esp_sleep_enable_uart_wakeup(int port) { printf("esp_sleep_enable_uart_wakeup(%d)\n", port); return ESP_OK; }
esp_err_t uart_set_wakeup_threshold(int port, int threshold) { (void)port; (void)threshold; return ESP_OK; }
esp_err_t esp_sleep_disable_wakeup_source(esp_sleep_source_t s) { (void)s; return ESP_OK; }
esp_err_t esp_sleep_pd_config(esp_sleep_pd_domain_t d, esp_sleep_pd_option_t o) { printf("esp_sleep_pd_config(%d,%d)\n", d, o); return ESP_OK; }
static void wake(void) {
	if (gWakeBy >= 0)
		gLevels = gWakeLevel ? (gLevels | (1ull << gWakeBy)) : (gLevels & ~(1ull << gWakeBy));
}
esp_err_t esp_light_sleep_start(void) { printf("esp_light_sleep_start\n"); wake(); return gSleepResult; }
esp_err_t esp_deep_sleep_try_to_start(void) { printf("esp_deep_sleep_try_to_start\n"); wake(); return gSleepResult; }
uint32_t esp_sleep_get_wakeup_causes(void) { return gCauses; }
esp_reset_reason_t esp_reset_reason(void) { return ESP_RST_DEEPSLEEP; }
uint64_t esp_rtc_get_time_us(void) { return 1; }
int64_t esp_timer_get_time(void) { return 0; }
void vPortEnterCritical(portMUX_TYPE *mux) { (void)mux; }
void vPortExitCritical(portMUX_TYPE *mux) { (void)mux; }
void esp_ipc_isr_stall_other_cpu(void) {}
void esp_ipc_isr_release_other_cpu(void) {}

/*
 * argv: the call (light | deep | boot), its arguments as numbers, then key=value settings:
 * levels (pads high, a mask), wakeBy / wakeLevel (the pin that changes during the sleep),
 * causes (esp_sleep_get_wakeup_causes bits), ext1 (ext1 status mask), reject (1: the sleep is rejected).
 */
int main(int argc, char **argv)
{
	int n = 0;
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq) { gArgs[n++] = strtod(argv[i], NULL); continue; }
		*eq = 0;
		double v = strtod(eq + 1, NULL);
		if (!strcmp(argv[i], "levels")) gLevels = (uint64_t)v;
		else if (!strcmp(argv[i], "wakeBy")) gWakeBy = (int)v;
		else if (!strcmp(argv[i], "wakeLevel")) gWakeLevel = (int)v;
		else if (!strcmp(argv[i], "causes")) gCauses = (uint32_t)v;
		else if (!strcmp(argv[i], "ext1")) gExt1Status = (uint64_t)v;
		else if (!strcmp(argv[i], "reject")) gSleepResult = v ? ESP_ERR_SLEEP_REJECT : ESP_OK;
	}
	if (!strcmp(argv[1], "light")) xs_quiesce_light_sleep(NULL);
	else if (!strcmp(argv[1], "deep")) xs_quiesce_deep_sleep(NULL);
	else xs_quiesce_boot_wake_cause(NULL);
	printf("-> %d\n", (int)gResult);
	return 0;
}
