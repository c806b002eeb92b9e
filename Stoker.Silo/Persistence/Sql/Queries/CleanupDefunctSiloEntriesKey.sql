-- Clustering: drop rows of silos that are no longer active and have not
-- reported since the cut-off (the same rule as the in-memory membership table).
-- In: DeploymentId, IAmAliveTime (the cut-off). 3 is SiloStatus.Active.
DELETE FROM orleans_membership
WHERE DeploymentId = @DeploymentId
  AND Status <> 3
  AND IAmAliveTime < @IAmAliveTime
