-- Clustering: a silo's periodic heartbeat. Not versioned: liveness times are
-- read by other silos but never compared against the table version.
-- In: DeploymentId, Address, Port, Generation, IAmAliveTime.
UPDATE orleans_membership
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
