// SPDX-License-Identifier: Apache-2.0
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
	/* At most this many bytes are kept; a longer body aborts the transfer and sets too_large. */
	size_t limit;
	int too_large;
} schedcat_http_body;

static size_t schedcat_http_collect(char *chunk, size_t size, size_t count, void *userdata) {
	schedcat_http_body *body = (schedcat_http_body *)userdata;
	size_t bytes = size * count;
	if (bytes > body->limit - body->length) {
		body->too_large = 1;
		return 0; /* anything but `bytes`: libcurl stops with CURLE_WRITE_ERROR */
	}
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
 * "Authorization: ..." header line, within `timeout_ms` in all (connecting within
 * `connect_timeout_ms`), keeping at most `limit` bytes of body: a longer one aborts the transfer
 * (schedcat_http_too_large then says so). Only http and https, no redirects. Returns the CURLcode;
 * *status gets the HTTP status, *response the body (free it with schedcat_http_free), `error` a
 * message on failure. */
static inline int schedcat_http_request(const char *url, const char *payload, size_t payload_length,
					const char *authorization, long timeout_ms, long connect_timeout_ms,
					size_t limit, long *status, schedcat_http_body *response, char *error,
					size_t error_length) {
	CURL *curl = curl_easy_init();
	if (!curl)
		return CURLE_FAILED_INIT;
	char message[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (authorization)
		headers = curl_slist_append(headers, authorization);
	response->data = NULL;
	response->length = 0;
	response->limit = limit;
	response->too_large = 0;
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	if (payload) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)payload_length);
	}
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, schedcat_http_collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, response);
	/* a declared Content-Length over the limit fails before any of the body is read */
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)limit);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms < timeout_ms ? connect_timeout_ms : timeout_ms);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
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

/* Whether the request failed because the body was over the limit (declared or streamed). */
static inline int schedcat_http_too_large(int code, const schedcat_http_body *body) {
	return code == CURLE_FILESIZE_EXCEEDED || (code == CURLE_WRITE_ERROR && body->too_large);
}
#endif
