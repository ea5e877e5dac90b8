-- The version a file holds as far as the history knows: its newest, legacy imports aside.
SELECT * FROM rdagent_template_history WHERE file = :file AND kind <> 'legacy' ORDER BY id DESC LIMIT 1
