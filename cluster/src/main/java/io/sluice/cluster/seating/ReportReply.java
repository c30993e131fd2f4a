package io.sluice.cluster.seating;

import java.io.Serializable;
import java.util.List;

/**
 * What the cluster answers a node's report.
 *
 * @param catalogWanted the cluster does not know the node's catalog at the version reported: send it whole
 * @param pulls         the live streams the node must pull now; any other pull it runs can stop
 */
public record ReportReply(boolean catalogWanted, List<OriginPull> pulls) implements Serializable {

    public ReportReply {
        pulls = List.copyOf(pulls);
    }
}
