package org.habeas.accounts;

import java.util.Arrays;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The client's address behind reverse proxies. Only the proxies listed in {@code habeas.trusted-proxies}
 * (addresses or CIDR ranges, comma-separated) are believed: when the connection comes from one of them, the
 * client is the right-most {@code X-Forwarded-For} address that is not itself a trusted proxy; otherwise it is the
 * connection's address, whatever the headers say. The sign-in limits and the access record use this address.
 */
@Component
public class TrustedProxies {

    private final List<IpAddressMatcher> proxies;

    TrustedProxies(@Value("${habeas.trusted-proxies:}") String list) {
        this.proxies = Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(IpAddressMatcher::new).toList();
    }

    public String clientAddress(HttpServletRequest request) {
        String address = request.getRemoteAddr();
        if (address == null || !trusted(address)) {
            return address;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return address;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.matches("[0-9A-Fa-f:.]{2,45}")) {
                return address;
            }
            if (!trusted(hop)) {
                return hop;
            }
            address = hop;
        }
        return address;
    }

    private boolean trusted(String address) {
        try {
            return proxies.stream().anyMatch(p -> p.matches(address));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
