INSERT INTO rdagent_audit (operator, method, path, status, address) VALUES (:operator, :method, :path, :status, :address)
