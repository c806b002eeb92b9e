-- Clustering (clients): the active silos that accept client connections.
-- In: DeploymentId, Status (always Active). Out: Address, ProxyPort, Generation.
SELECT Address, ProxyPort, Generation
FROM orleans_membership
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0
