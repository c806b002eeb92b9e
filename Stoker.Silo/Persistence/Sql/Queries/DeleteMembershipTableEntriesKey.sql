-- Clustering: forget a whole cluster (its silo rows, then its version row).
-- In: DeploymentId.
DELETE FROM orleans_membership WHERE DeploymentId = @DeploymentId;
DELETE FROM orleans_membership_version WHERE DeploymentId = @DeploymentId
