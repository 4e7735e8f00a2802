package org.essaim.keys;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.servlet.filter.OrderedFormContentFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code curl --data-binary @pub.asc -X PUT} labels the key "application/x-www-form-urlencoded", and Spring's
 * form filter would then swallow the body of a PUT as form fields (turning '+' into spaces). Key uploads are
 * read raw instead; everywhere else the form filter works as Spring Boot sets it up (this bean replaces the
 * auto-configured one with the same order).
 */
@Configuration(proxyBeanMethods = false)
class RawKeyUploadBody {

    @Bean
    OrderedFormContentFilter formContentFilter() {
        return new OrderedFormContentFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return request.getRequestURI().startsWith(request.getContextPath() + "/api/keys/");
            }
        };
    }
}
