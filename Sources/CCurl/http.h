/* A blocking HTTP request on libcurl's easy API, for schedcat's model client.
 * (Foundation's URLSession on Linux busy-polls while it waits: a whole CPU per request in flight,
 * taken from the local model it waits for.) curl_easy_setopt is variadic, so it is wrapped here. */
#ifndef SCHEDCAT_HTTP_H
#define SCHEDCAT_HTTP_H
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char *data;
	size_t length;
} schedcat_http_body;

static size_t schedcat_http_collect(char *chunk, size_t size, size_t count, void *userdata) {
	schedcat_http_body *body = (schedcat_http_body *)userdata;
	size_t bytes = size * count;
	char *grown = realloc(body->data, body->length + bytes + 1);
	if (!grown)
		return 0;
	memcpy(grown + body->length, chunk, bytes);
	body->data = grown;
	body->length += bytes;
	body->data[body->length] = 0;
	return bytes;
}

/* POST `payload` (or GET when payload is NULL) to `url` with a JSON content type and an optional
 * "Authorization: ..." header line. Returns the CURLcode; *status gets the HTTP status, *response
 * the body (free it with schedcat_http_free), `error` a message on failure. */
static inline int schedcat_http_request(const char *url, const char *payload, size_t payload_length,
					const char *authorization, long timeout_ms, long *status,
					schedcat_http_body *response, char *error, size_t error_length) {
	CURL *curl = curl_easy_init();
	if (!curl)
		return CURLE_FAILED_INIT;
	char message[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (authorization)
		headers = curl_slist_append(headers, authorization);
	response->data = NULL;
	response->length = 0;
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	if (payload) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)payload_length);
	}
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, schedcat_http_collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, response);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 10000 ? timeout_ms : 10000L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, message);
	CURLcode result = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
	if (result != CURLE_OK && error && error_length) {
		const char *text = message[0] ? message : curl_easy_strerror(result);
		strncpy(error, text, error_length - 1);
		error[error_length - 1] = 0;
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return (int)result;
}

static inline void schedcat_http_free(schedcat_http_body *body) {
	free(body->data);
	body->data = NULL;
	body->length = 0;
}

static inline int schedcat_http_timed_out(int code) { return code == CURLE_OPERATION_TIMEDOUT; }
#endif
