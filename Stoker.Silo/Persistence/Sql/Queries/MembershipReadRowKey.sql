-- Clustering: one silo's membership row with the table version (silo columns
-- NULL when the silo has no row).
-- In: DeploymentId, Address, Port, Generation. Out: as MembershipReadAllKey.
SELECT v.DeploymentId,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime,
       v.Version
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId
