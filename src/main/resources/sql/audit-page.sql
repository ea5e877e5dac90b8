SELECT id, at, operator, method, path, status, address FROM rdagent_audit ORDER BY id DESC LIMIT :size OFFSET :offset
