-- Clustering: the whole membership table of a cluster with its version.
-- The version row always comes back (a cluster with no silos yields one row
-- whose silo columns are NULL), because the provider takes the table version
-- from the first row.
-- In: DeploymentId. Out: silo columns plus Version.
SELECT v.DeploymentId,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime,
       v.Version
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId
