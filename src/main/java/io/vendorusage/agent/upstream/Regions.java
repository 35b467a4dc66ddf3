package io.vendorusage.agent.upstream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Genesys Cloud regions and their API hosts. The login host is the API host with "api." replaced by "login.". */
public final class Regions {

    private static final Map<String, String> API_HOSTS = new LinkedHashMap<>();

    static {
        API_HOSTS.put("us-east-1", "api.mypurecloud.com");
        API_HOSTS.put("us-east-2", "api.use2.us-gov-pure.cloud");
        API_HOSTS.put("us-west-2", "api.usw2.pure.cloud");
        API_HOSTS.put("ca-central-1", "api.cac1.pure.cloud");
        API_HOSTS.put("sa-east-1", "api.sae1.pure.cloud");
        API_HOSTS.put("eu-west-1", "api.mypurecloud.ie");
        API_HOSTS.put("eu-west-2", "api.euw2.pure.cloud");
        API_HOSTS.put("eu-central-1", "api.mypurecloud.de");
        API_HOSTS.put("eu-central-2", "api.euc2.pure.cloud");
        API_HOSTS.put("me-central-1", "api.mec1.pure.cloud");
        API_HOSTS.put("ap-south-1", "api.aps1.pure.cloud");
        API_HOSTS.put("ap-northeast-1", "api.mypurecloud.jp");
        API_HOSTS.put("ap-northeast-2", "api.apne2.pure.cloud");
        API_HOSTS.put("ap-northeast-3", "api.apne3.pure.cloud");
        API_HOSTS.put("ap-southeast-2", "api.mypurecloud.com.au");
        API_HOSTS.put("mx-central-1", "api.mxc1.pure.cloud");
        API_HOSTS.put("ap-southeast-1", "api.apse1.pure.cloud");
    }

    /** Valid as a usage-query filter but with no API host to call (a satellite region). */
    public static final Set<String> FILTER_ONLY = Set.of("eu-west-3");

    private Regions() {
    }

    public static Optional<String> apiHost(String region) {
        return Optional.ofNullable(API_HOSTS.get(region));
    }

    public static String loginHost(String apiHost) {
        return apiHost.startsWith("api.") ? "login." + apiHost.substring(4) : apiHost;
    }

    /** @return every region with an API host, in a stable order */
    public static Set<String> callable() {
        return API_HOSTS.keySet();
    }
}
