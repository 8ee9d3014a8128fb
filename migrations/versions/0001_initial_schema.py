"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-12-07 00:54:20.339401

"""
from alembic import op
import sqlalchemy as sa


# Engine-specific text-search DDL (webapp/models/search.py): SQLite FTS5 trigram tables and their
# triggers, PostgreSQL pg_trgm GIN indexes and planner statistics.
SEARCH_DDL = {'postgresql': ['CREATE EXTENSION IF NOT EXISTS pg_trgm',
                "DO $$ BEGIN IF show_trgm('水龙头') = '{}' THEN RAISE EXCEPTION USING MESSAGE = "
                "'This database''s LC_CTYPE (' || current_setting('lc_ctype') || ') gives "
                'Chinese text no trigrams, so its search indexes cannot find Chinese names or '
                'titles. Create the database with a UTF-8 ctype: createdb --template=template0 '
                "--lc-ctype=C.UTF-8 (or initdb --lc-ctype=C.UTF-8).'; END IF; END $$",
                'CREATE INDEX IF NOT EXISTS ix_users_name_trgm ON users USING gin (name '
                'gin_trgm_ops)',
                'CREATE INDEX IF NOT EXISTS ix_users_phone_trgm ON users USING gin (phone '
                'gin_trgm_ops)',
                'CREATE INDEX IF NOT EXISTS ix_users_address_trgm ON users USING gin (address '
                'gin_trgm_ops)',
                'CREATE INDEX IF NOT EXISTS ix_wishes_title_trgm ON wishes USING gin (title '
                'gin_trgm_ops)',
                'CREATE INDEX IF NOT EXISTS ix_orgs_name_trgm ON orgs USING gin (name '
                'gin_trgm_ops)',
                'CREATE INDEX IF NOT EXISTS ix_units_name_trgm ON units USING gin (name '
                'gin_trgm_ops)',
                'CREATE OR REPLACE FUNCTION wg_pieces(t text) RETURNS text[] LANGUAGE sql '
                'IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT string_to_array(lower(t), NULL) || '
                "string_to_array(regexp_replace(lower(t), '(..)', '\\1' || chr(1), 'g'), chr(1)) "
                "|| string_to_array(regexp_replace(substr(lower(t), 2), '(..)', '\\1' || chr(1), "
                "'g'), chr(1)) $$",
                'CREATE INDEX IF NOT EXISTS ix_users_name_pieces ON users USING gin '
                '(wg_pieces(name))',
                'CREATE INDEX IF NOT EXISTS ix_users_phone_pieces ON users USING gin '
                '(wg_pieces(phone))',
                'CREATE INDEX IF NOT EXISTS ix_users_address_pieces ON users USING gin '
                '(wg_pieces(address))',
                'CREATE INDEX IF NOT EXISTS ix_wishes_title_pieces ON wishes USING gin '
                '(wg_pieces(title))',
                'CREATE INDEX IF NOT EXISTS ix_orgs_name_pieces ON orgs USING gin '
                '(wg_pieces(name))',
                'CREATE INDEX IF NOT EXISTS ix_units_name_pieces ON units USING gin '
                '(wg_pieces(name))',
                'CREATE OR REPLACE FUNCTION wg_tagged(c integer, t text) RETURNS text[] LANGUAGE '
                'sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT '
                'string_to_array(rtrim(regexp_replace(substr(lower(t), 1, (length(lower(t)) - 0) '
                "/ 3 * 3), '(...)', c || ':\\1' || chr(1), 'g'), chr(1)), chr(1)) || "
                'string_to_array(rtrim(regexp_replace(substr(lower(t), 2, (length(lower(t)) - 1) '
                "/ 3 * 3), '(...)', c || ':\\1' || chr(1), 'g'), chr(1)), chr(1)) || "
                'string_to_array(rtrim(regexp_replace(substr(lower(t), 3, (length(lower(t)) - 2) '
                "/ 3 * 3), '(...)', c || ':\\1' || chr(1), 'g'), chr(1)), chr(1)) $$",
                'CREATE INDEX IF NOT EXISTS ix_wishes_title_tagged ON wishes USING gin '
                '(wg_tagged(community_id, title))',
                'CREATE INDEX IF NOT EXISTS ix_users_name_tagged ON users USING gin '
                '(wg_tagged(community_id, name))',
                'CREATE INDEX IF NOT EXISTS ix_users_phone_tagged ON users USING gin '
                '(wg_tagged(community_id, phone))',
                'CREATE STATISTICS IF NOT EXISTS st_wishes_grid_community (dependencies) ON '
                'grid_id, community_id FROM wishes'],
 'sqlite': ['CREATE VIEW IF NOT EXISTS users_fts_src AS SELECT ((coalesce(community_id, 0) << '
            '32) | id) AS fts_key, name, phone, address FROM users',
            'CREATE VIRTUAL TABLE IF NOT EXISTS users_fts USING fts5(name, phone, address, '
            "content='users_fts_src', content_rowid='fts_key', tokenize='trigram')",
            "INSERT INTO users_fts(users_fts) VALUES ('rebuild')",
            'CREATE TRIGGER IF NOT EXISTS users_fts_ai AFTER INSERT ON users BEGIN INSERT INTO '
            'users_fts(rowid, name, phone, address) VALUES (((coalesce(new.community_id, 0) << '
            '32) | new.id), new.name, new.phone, new.address); END',
            'CREATE TRIGGER IF NOT EXISTS users_fts_ad AFTER DELETE ON users BEGIN INSERT INTO '
            "users_fts(users_fts, rowid, name, phone, address) VALUES ('delete', "
            '((coalesce(old.community_id, 0) << 32) | old.id), old.name, old.phone, '
            'old.address); END',
            'CREATE TRIGGER IF NOT EXISTS users_fts_au AFTER UPDATE OF name, phone, address, '
            'community_id ON users BEGIN INSERT INTO users_fts(users_fts, rowid, name, phone, '
            "address) VALUES ('delete', ((coalesce(old.community_id, 0) << 32) | old.id), "
            'old.name, old.phone, old.address); INSERT INTO users_fts(rowid, name, phone, '
            'address) VALUES (((coalesce(new.community_id, 0) << 32) | new.id), new.name, '
            'new.phone, new.address); END',
            'CREATE VIRTUAL TABLE IF NOT EXISTS users_grams USING fts5(name, phone, address, '
            'content=\'\', tokenize="unicode61 remove_diacritics 0 categories \'L* M* N* P* S* '
            'Co\'")',
            "INSERT INTO users_grams(users_grams) VALUES ('delete-all')",
            'INSERT INTO users_grams(rowid, name, phone, address) SELECT '
            "((coalesce(community_id, 0) << 32) | id), coalesce(substr(name, 1, 1) || ' ' || "
            "substr(name, 2, 1) || ' ' || substr(name, 3, 1) || ' ' || substr(name, 4, 1) || ' ' "
            "|| substr(name, 5, 1) || ' ' || substr(name, 6, 1) || ' ' || substr(name, 7, 1) || "
            "' ' || substr(name, 8, 1) || ' ' || substr(name, 9, 1) || ' ' || substr(name, 10, "
            "1) || ' ' || substr(name, 11, 1) || ' ' || substr(name, 12, 1) || ' ' || "
            "substr(name, 13, 1) || ' ' || substr(name, 14, 1) || ' ' || substr(name, 15, 1) || "
            "' ' || substr(name, 16, 1) || ' ' || substr(name, 17, 1) || ' ' || substr(name, 18, "
            "1) || ' ' || substr(name, 19, 1) || ' ' || substr(name, 20, 1) || ' ' || "
            "substr(name, 21, 1) || ' ' || substr(name, 22, 1) || ' ' || substr(name, 23, 1) || "
            "' ' || substr(name, 24, 1) || ' ' || substr(name, 25, 1) || ' ' || substr(name, 26, "
            "1) || ' ' || substr(name, 27, 1) || ' ' || substr(name, 28, 1) || ' ' || "
            "substr(name, 29, 1) || ' ' || substr(name, 30, 1) || ' ' || substr(name, 31, 1) || "
            "' ' || substr(name, 32, 1) || ' ' || substr(name, 33, 1) || ' ' || substr(name, 34, "
            "1) || ' ' || substr(name, 35, 1) || ' ' || substr(name, 36, 1) || ' ' || "
            "substr(name, 37, 1) || ' ' || substr(name, 38, 1) || ' ' || substr(name, 39, 1) || "
            "' ' || substr(name, 40, 1) || ' ' || substr(name, 1, 2) || ' ' || substr(name, 2, "
            "2) || ' ' || substr(name, 3, 2) || ' ' || substr(name, 4, 2) || ' ' || substr(name, "
            "5, 2) || ' ' || substr(name, 6, 2) || ' ' || substr(name, 7, 2) || ' ' || "
            "substr(name, 8, 2) || ' ' || substr(name, 9, 2) || ' ' || substr(name, 10, 2) || ' "
            "' || substr(name, 11, 2) || ' ' || substr(name, 12, 2) || ' ' || substr(name, 13, "
            "2) || ' ' || substr(name, 14, 2) || ' ' || substr(name, 15, 2) || ' ' || "
            "substr(name, 16, 2) || ' ' || substr(name, 17, 2) || ' ' || substr(name, 18, 2) || "
            "' ' || substr(name, 19, 2) || ' ' || substr(name, 20, 2) || ' ' || substr(name, 21, "
            "2) || ' ' || substr(name, 22, 2) || ' ' || substr(name, 23, 2) || ' ' || "
            "substr(name, 24, 2) || ' ' || substr(name, 25, 2) || ' ' || substr(name, 26, 2) || "
            "' ' || substr(name, 27, 2) || ' ' || substr(name, 28, 2) || ' ' || substr(name, 29, "
            "2) || ' ' || substr(name, 30, 2) || ' ' || substr(name, 31, 2) || ' ' || "
            "substr(name, 32, 2) || ' ' || substr(name, 33, 2) || ' ' || substr(name, 34, 2) || "
            "' ' || substr(name, 35, 2) || ' ' || substr(name, 36, 2) || ' ' || substr(name, 37, "
            "2) || ' ' || substr(name, 38, 2) || ' ' || substr(name, 39, 2), ''), "
            "coalesce(substr(phone, 1, 1) || ' ' || substr(phone, 2, 1) || ' ' || substr(phone, "
            "3, 1) || ' ' || substr(phone, 4, 1) || ' ' || substr(phone, 5, 1) || ' ' || "
            "substr(phone, 6, 1) || ' ' || substr(phone, 7, 1) || ' ' || substr(phone, 8, 1) || "
            "' ' || substr(phone, 9, 1) || ' ' || substr(phone, 10, 1) || ' ' || substr(phone, "
            "11, 1) || ' ' || substr(phone, 12, 1) || ' ' || substr(phone, 13, 1) || ' ' || "
            "substr(phone, 14, 1) || ' ' || substr(phone, 15, 1) || ' ' || substr(phone, 16, 1) "
            "|| ' ' || substr(phone, 17, 1) || ' ' || substr(phone, 18, 1) || ' ' || "
            "substr(phone, 19, 1) || ' ' || substr(phone, 20, 1) || ' ' || substr(phone, 1, 2) "
            "|| ' ' || substr(phone, 2, 2) || ' ' || substr(phone, 3, 2) || ' ' || substr(phone, "
            "4, 2) || ' ' || substr(phone, 5, 2) || ' ' || substr(phone, 6, 2) || ' ' || "
            "substr(phone, 7, 2) || ' ' || substr(phone, 8, 2) || ' ' || substr(phone, 9, 2) || "
            "' ' || substr(phone, 10, 2) || ' ' || substr(phone, 11, 2) || ' ' || substr(phone, "
            "12, 2) || ' ' || substr(phone, 13, 2) || ' ' || substr(phone, 14, 2) || ' ' || "
            "substr(phone, 15, 2) || ' ' || substr(phone, 16, 2) || ' ' || substr(phone, 17, 2) "
            "|| ' ' || substr(phone, 18, 2) || ' ' || substr(phone, 19, 2), ''), "
            "coalesce(substr(address, 1, 1) || ' ' || substr(address, 2, 1) || ' ' || "
            "substr(address, 3, 1) || ' ' || substr(address, 4, 1) || ' ' || substr(address, 5, "
            "1) || ' ' || substr(address, 6, 1) || ' ' || substr(address, 7, 1) || ' ' || "
            "substr(address, 8, 1) || ' ' || substr(address, 9, 1) || ' ' || substr(address, 10, "
            "1) || ' ' || substr(address, 11, 1) || ' ' || substr(address, 12, 1) || ' ' || "
            "substr(address, 13, 1) || ' ' || substr(address, 14, 1) || ' ' || substr(address, "
            "15, 1) || ' ' || substr(address, 16, 1) || ' ' || substr(address, 17, 1) || ' ' || "
            "substr(address, 18, 1) || ' ' || substr(address, 19, 1) || ' ' || substr(address, "
            "20, 1) || ' ' || substr(address, 21, 1) || ' ' || substr(address, 22, 1) || ' ' || "
            "substr(address, 23, 1) || ' ' || substr(address, 24, 1) || ' ' || substr(address, "
            "25, 1) || ' ' || substr(address, 26, 1) || ' ' || substr(address, 27, 1) || ' ' || "
            "substr(address, 28, 1) || ' ' || substr(address, 29, 1) || ' ' || substr(address, "
            "30, 1) || ' ' || substr(address, 31, 1) || ' ' || substr(address, 32, 1) || ' ' || "
            "substr(address, 33, 1) || ' ' || substr(address, 34, 1) || ' ' || substr(address, "
            "35, 1) || ' ' || substr(address, 36, 1) || ' ' || substr(address, 37, 1) || ' ' || "
            "substr(address, 38, 1) || ' ' || substr(address, 39, 1) || ' ' || substr(address, "
            "40, 1) || ' ' || substr(address, 41, 1) || ' ' || substr(address, 42, 1) || ' ' || "
            "substr(address, 43, 1) || ' ' || substr(address, 44, 1) || ' ' || substr(address, "
            "45, 1) || ' ' || substr(address, 46, 1) || ' ' || substr(address, 47, 1) || ' ' || "
            "substr(address, 48, 1) || ' ' || substr(address, 49, 1) || ' ' || substr(address, "
            "50, 1) || ' ' || substr(address, 51, 1) || ' ' || substr(address, 52, 1) || ' ' || "
            "substr(address, 53, 1) || ' ' || substr(address, 54, 1) || ' ' || substr(address, "
            "55, 1) || ' ' || substr(address, 56, 1) || ' ' || substr(address, 57, 1) || ' ' || "
            "substr(address, 58, 1) || ' ' || substr(address, 59, 1) || ' ' || substr(address, "
            "60, 1) || ' ' || substr(address, 61, 1) || ' ' || substr(address, 62, 1) || ' ' || "
            "substr(address, 63, 1) || ' ' || substr(address, 64, 1) || ' ' || substr(address, "
            "65, 1) || ' ' || substr(address, 66, 1) || ' ' || substr(address, 67, 1) || ' ' || "
            "substr(address, 68, 1) || ' ' || substr(address, 69, 1) || ' ' || substr(address, "
            "70, 1) || ' ' || substr(address, 71, 1) || ' ' || substr(address, 72, 1) || ' ' || "
            "substr(address, 73, 1) || ' ' || substr(address, 74, 1) || ' ' || substr(address, "
            "75, 1) || ' ' || substr(address, 76, 1) || ' ' || substr(address, 77, 1) || ' ' || "
            "substr(address, 78, 1) || ' ' || substr(address, 79, 1) || ' ' || substr(address, "
            "80, 1) || ' ' || substr(address, 81, 1) || ' ' || substr(address, 82, 1) || ' ' || "
            "substr(address, 83, 1) || ' ' || substr(address, 84, 1) || ' ' || substr(address, "
            "85, 1) || ' ' || substr(address, 86, 1) || ' ' || substr(address, 87, 1) || ' ' || "
            "substr(address, 88, 1) || ' ' || substr(address, 89, 1) || ' ' || substr(address, "
            "90, 1) || ' ' || substr(address, 91, 1) || ' ' || substr(address, 92, 1) || ' ' || "
            "substr(address, 93, 1) || ' ' || substr(address, 94, 1) || ' ' || substr(address, "
            "95, 1) || ' ' || substr(address, 96, 1) || ' ' || substr(address, 97, 1) || ' ' || "
            "substr(address, 98, 1) || ' ' || substr(address, 99, 1) || ' ' || substr(address, "
            "100, 1) || ' ' || substr(address, 101, 1) || ' ' || substr(address, 102, 1) || ' ' "
            "|| substr(address, 103, 1) || ' ' || substr(address, 104, 1) || ' ' || "
            "substr(address, 105, 1) || ' ' || substr(address, 106, 1) || ' ' || substr(address, "
            "107, 1) || ' ' || substr(address, 108, 1) || ' ' || substr(address, 109, 1) || ' ' "
            "|| substr(address, 110, 1) || ' ' || substr(address, 111, 1) || ' ' || "
            "substr(address, 112, 1) || ' ' || substr(address, 113, 1) || ' ' || substr(address, "
            "114, 1) || ' ' || substr(address, 115, 1) || ' ' || substr(address, 116, 1) || ' ' "
            "|| substr(address, 117, 1) || ' ' || substr(address, 118, 1) || ' ' || "
            "substr(address, 119, 1) || ' ' || substr(address, 120, 1) || ' ' || substr(address, "
            "1, 2) || ' ' || substr(address, 2, 2) || ' ' || substr(address, 3, 2) || ' ' || "
            "substr(address, 4, 2) || ' ' || substr(address, 5, 2) || ' ' || substr(address, 6, "
            "2) || ' ' || substr(address, 7, 2) || ' ' || substr(address, 8, 2) || ' ' || "
            "substr(address, 9, 2) || ' ' || substr(address, 10, 2) || ' ' || substr(address, "
            "11, 2) || ' ' || substr(address, 12, 2) || ' ' || substr(address, 13, 2) || ' ' || "
            "substr(address, 14, 2) || ' ' || substr(address, 15, 2) || ' ' || substr(address, "
            "16, 2) || ' ' || substr(address, 17, 2) || ' ' || substr(address, 18, 2) || ' ' || "
            "substr(address, 19, 2) || ' ' || substr(address, 20, 2) || ' ' || substr(address, "
            "21, 2) || ' ' || substr(address, 22, 2) || ' ' || substr(address, 23, 2) || ' ' || "
            "substr(address, 24, 2) || ' ' || substr(address, 25, 2) || ' ' || substr(address, "
            "26, 2) || ' ' || substr(address, 27, 2) || ' ' || substr(address, 28, 2) || ' ' || "
            "substr(address, 29, 2) || ' ' || substr(address, 30, 2) || ' ' || substr(address, "
            "31, 2) || ' ' || substr(address, 32, 2) || ' ' || substr(address, 33, 2) || ' ' || "
            "substr(address, 34, 2) || ' ' || substr(address, 35, 2) || ' ' || substr(address, "
            "36, 2) || ' ' || substr(address, 37, 2) || ' ' || substr(address, 38, 2) || ' ' || "
            "substr(address, 39, 2) || ' ' || substr(address, 40, 2) || ' ' || substr(address, "
            "41, 2) || ' ' || substr(address, 42, 2) || ' ' || substr(address, 43, 2) || ' ' || "
            "substr(address, 44, 2) || ' ' || substr(address, 45, 2) || ' ' || substr(address, "
            "46, 2) || ' ' || substr(address, 47, 2) || ' ' || substr(address, 48, 2) || ' ' || "
            "substr(address, 49, 2) || ' ' || substr(address, 50, 2) || ' ' || substr(address, "
            "51, 2) || ' ' || substr(address, 52, 2) || ' ' || substr(address, 53, 2) || ' ' || "
            "substr(address, 54, 2) || ' ' || substr(address, 55, 2) || ' ' || substr(address, "
            "56, 2) || ' ' || substr(address, 57, 2) || ' ' || substr(address, 58, 2) || ' ' || "
            "substr(address, 59, 2) || ' ' || substr(address, 60, 2) || ' ' || substr(address, "
            "61, 2) || ' ' || substr(address, 62, 2) || ' ' || substr(address, 63, 2) || ' ' || "
            "substr(address, 64, 2) || ' ' || substr(address, 65, 2) || ' ' || substr(address, "
            "66, 2) || ' ' || substr(address, 67, 2) || ' ' || substr(address, 68, 2) || ' ' || "
            "substr(address, 69, 2) || ' ' || substr(address, 70, 2) || ' ' || substr(address, "
            "71, 2) || ' ' || substr(address, 72, 2) || ' ' || substr(address, 73, 2) || ' ' || "
            "substr(address, 74, 2) || ' ' || substr(address, 75, 2) || ' ' || substr(address, "
            "76, 2) || ' ' || substr(address, 77, 2) || ' ' || substr(address, 78, 2) || ' ' || "
            "substr(address, 79, 2) || ' ' || substr(address, 80, 2) || ' ' || substr(address, "
            "81, 2) || ' ' || substr(address, 82, 2) || ' ' || substr(address, 83, 2) || ' ' || "
            "substr(address, 84, 2) || ' ' || substr(address, 85, 2) || ' ' || substr(address, "
            "86, 2) || ' ' || substr(address, 87, 2) || ' ' || substr(address, 88, 2) || ' ' || "
            "substr(address, 89, 2) || ' ' || substr(address, 90, 2) || ' ' || substr(address, "
            "91, 2) || ' ' || substr(address, 92, 2) || ' ' || substr(address, 93, 2) || ' ' || "
            "substr(address, 94, 2) || ' ' || substr(address, 95, 2) || ' ' || substr(address, "
            "96, 2) || ' ' || substr(address, 97, 2) || ' ' || substr(address, 98, 2) || ' ' || "
            "substr(address, 99, 2) || ' ' || substr(address, 100, 2) || ' ' || substr(address, "
            "101, 2) || ' ' || substr(address, 102, 2) || ' ' || substr(address, 103, 2) || ' ' "
            "|| substr(address, 104, 2) || ' ' || substr(address, 105, 2) || ' ' || "
            "substr(address, 106, 2) || ' ' || substr(address, 107, 2) || ' ' || substr(address, "
            "108, 2) || ' ' || substr(address, 109, 2) || ' ' || substr(address, 110, 2) || ' ' "
            "|| substr(address, 111, 2) || ' ' || substr(address, 112, 2) || ' ' || "
            "substr(address, 113, 2) || ' ' || substr(address, 114, 2) || ' ' || substr(address, "
            "115, 2) || ' ' || substr(address, 116, 2) || ' ' || substr(address, 117, 2) || ' ' "
            "|| substr(address, 118, 2) || ' ' || substr(address, 119, 2), '') FROM users",
            'CREATE TRIGGER IF NOT EXISTS users_grams_ai AFTER INSERT ON users BEGIN SELECT '
            "RAISE(ABORT, 'users.name is longer than 40') WHERE length(new.name) > 40; SELECT "
            "RAISE(ABORT, 'users.phone is longer than 20') WHERE length(new.phone) > 20; SELECT "
            "RAISE(ABORT, 'users.address is longer than 120') WHERE length(new.address) > 120; "
            'INSERT INTO users_grams(rowid, name, phone, address) VALUES '
            '(((coalesce(new.community_id, 0) << 32) | new.id), coalesce(substr(new.name, 1, 1) '
            "|| ' ' || substr(new.name, 2, 1) || ' ' || substr(new.name, 3, 1) || ' ' || "
            "substr(new.name, 4, 1) || ' ' || substr(new.name, 5, 1) || ' ' || substr(new.name, "
            "6, 1) || ' ' || substr(new.name, 7, 1) || ' ' || substr(new.name, 8, 1) || ' ' || "
            "substr(new.name, 9, 1) || ' ' || substr(new.name, 10, 1) || ' ' || substr(new.name, "
            "11, 1) || ' ' || substr(new.name, 12, 1) || ' ' || substr(new.name, 13, 1) || ' ' "
            "|| substr(new.name, 14, 1) || ' ' || substr(new.name, 15, 1) || ' ' || "
            "substr(new.name, 16, 1) || ' ' || substr(new.name, 17, 1) || ' ' || "
            "substr(new.name, 18, 1) || ' ' || substr(new.name, 19, 1) || ' ' || "
            "substr(new.name, 20, 1) || ' ' || substr(new.name, 21, 1) || ' ' || "
            "substr(new.name, 22, 1) || ' ' || substr(new.name, 23, 1) || ' ' || "
            "substr(new.name, 24, 1) || ' ' || substr(new.name, 25, 1) || ' ' || "
            "substr(new.name, 26, 1) || ' ' || substr(new.name, 27, 1) || ' ' || "
            "substr(new.name, 28, 1) || ' ' || substr(new.name, 29, 1) || ' ' || "
            "substr(new.name, 30, 1) || ' ' || substr(new.name, 31, 1) || ' ' || "
            "substr(new.name, 32, 1) || ' ' || substr(new.name, 33, 1) || ' ' || "
            "substr(new.name, 34, 1) || ' ' || substr(new.name, 35, 1) || ' ' || "
            "substr(new.name, 36, 1) || ' ' || substr(new.name, 37, 1) || ' ' || "
            "substr(new.name, 38, 1) || ' ' || substr(new.name, 39, 1) || ' ' || "
            "substr(new.name, 40, 1) || ' ' || substr(new.name, 1, 2) || ' ' || substr(new.name, "
            "2, 2) || ' ' || substr(new.name, 3, 2) || ' ' || substr(new.name, 4, 2) || ' ' || "
            "substr(new.name, 5, 2) || ' ' || substr(new.name, 6, 2) || ' ' || substr(new.name, "
            "7, 2) || ' ' || substr(new.name, 8, 2) || ' ' || substr(new.name, 9, 2) || ' ' || "
            "substr(new.name, 10, 2) || ' ' || substr(new.name, 11, 2) || ' ' || "
            "substr(new.name, 12, 2) || ' ' || substr(new.name, 13, 2) || ' ' || "
            "substr(new.name, 14, 2) || ' ' || substr(new.name, 15, 2) || ' ' || "
            "substr(new.name, 16, 2) || ' ' || substr(new.name, 17, 2) || ' ' || "
            "substr(new.name, 18, 2) || ' ' || substr(new.name, 19, 2) || ' ' || "
            "substr(new.name, 20, 2) || ' ' || substr(new.name, 21, 2) || ' ' || "
            "substr(new.name, 22, 2) || ' ' || substr(new.name, 23, 2) || ' ' || "
            "substr(new.name, 24, 2) || ' ' || substr(new.name, 25, 2) || ' ' || "
            "substr(new.name, 26, 2) || ' ' || substr(new.name, 27, 2) || ' ' || "
            "substr(new.name, 28, 2) || ' ' || substr(new.name, 29, 2) || ' ' || "
            "substr(new.name, 30, 2) || ' ' || substr(new.name, 31, 2) || ' ' || "
            "substr(new.name, 32, 2) || ' ' || substr(new.name, 33, 2) || ' ' || "
            "substr(new.name, 34, 2) || ' ' || substr(new.name, 35, 2) || ' ' || "
            "substr(new.name, 36, 2) || ' ' || substr(new.name, 37, 2) || ' ' || "
            "substr(new.name, 38, 2) || ' ' || substr(new.name, 39, 2), ''), "
            "coalesce(substr(new.phone, 1, 1) || ' ' || substr(new.phone, 2, 1) || ' ' || "
            "substr(new.phone, 3, 1) || ' ' || substr(new.phone, 4, 1) || ' ' || "
            "substr(new.phone, 5, 1) || ' ' || substr(new.phone, 6, 1) || ' ' || "
            "substr(new.phone, 7, 1) || ' ' || substr(new.phone, 8, 1) || ' ' || "
            "substr(new.phone, 9, 1) || ' ' || substr(new.phone, 10, 1) || ' ' || "
            "substr(new.phone, 11, 1) || ' ' || substr(new.phone, 12, 1) || ' ' || "
            "substr(new.phone, 13, 1) || ' ' || substr(new.phone, 14, 1) || ' ' || "
            "substr(new.phone, 15, 1) || ' ' || substr(new.phone, 16, 1) || ' ' || "
            "substr(new.phone, 17, 1) || ' ' || substr(new.phone, 18, 1) || ' ' || "
            "substr(new.phone, 19, 1) || ' ' || substr(new.phone, 20, 1) || ' ' || "
            "substr(new.phone, 1, 2) || ' ' || substr(new.phone, 2, 2) || ' ' || "
            "substr(new.phone, 3, 2) || ' ' || substr(new.phone, 4, 2) || ' ' || "
            "substr(new.phone, 5, 2) || ' ' || substr(new.phone, 6, 2) || ' ' || "
            "substr(new.phone, 7, 2) || ' ' || substr(new.phone, 8, 2) || ' ' || "
            "substr(new.phone, 9, 2) || ' ' || substr(new.phone, 10, 2) || ' ' || "
            "substr(new.phone, 11, 2) || ' ' || substr(new.phone, 12, 2) || ' ' || "
            "substr(new.phone, 13, 2) || ' ' || substr(new.phone, 14, 2) || ' ' || "
            "substr(new.phone, 15, 2) || ' ' || substr(new.phone, 16, 2) || ' ' || "
            "substr(new.phone, 17, 2) || ' ' || substr(new.phone, 18, 2) || ' ' || "
            "substr(new.phone, 19, 2), ''), coalesce(substr(new.address, 1, 1) || ' ' || "
            "substr(new.address, 2, 1) || ' ' || substr(new.address, 3, 1) || ' ' || "
            "substr(new.address, 4, 1) || ' ' || substr(new.address, 5, 1) || ' ' || "
            "substr(new.address, 6, 1) || ' ' || substr(new.address, 7, 1) || ' ' || "
            "substr(new.address, 8, 1) || ' ' || substr(new.address, 9, 1) || ' ' || "
            "substr(new.address, 10, 1) || ' ' || substr(new.address, 11, 1) || ' ' || "
            "substr(new.address, 12, 1) || ' ' || substr(new.address, 13, 1) || ' ' || "
            "substr(new.address, 14, 1) || ' ' || substr(new.address, 15, 1) || ' ' || "
            "substr(new.address, 16, 1) || ' ' || substr(new.address, 17, 1) || ' ' || "
            "substr(new.address, 18, 1) || ' ' || substr(new.address, 19, 1) || ' ' || "
            "substr(new.address, 20, 1) || ' ' || substr(new.address, 21, 1) || ' ' || "
            "substr(new.address, 22, 1) || ' ' || substr(new.address, 23, 1) || ' ' || "
            "substr(new.address, 24, 1) || ' ' || substr(new.address, 25, 1) || ' ' || "
            "substr(new.address, 26, 1) || ' ' || substr(new.address, 27, 1) || ' ' || "
            "substr(new.address, 28, 1) || ' ' || substr(new.address, 29, 1) || ' ' || "
            "substr(new.address, 30, 1) || ' ' || substr(new.address, 31, 1) || ' ' || "
            "substr(new.address, 32, 1) || ' ' || substr(new.address, 33, 1) || ' ' || "
            "substr(new.address, 34, 1) || ' ' || substr(new.address, 35, 1) || ' ' || "
            "substr(new.address, 36, 1) || ' ' || substr(new.address, 37, 1) || ' ' || "
            "substr(new.address, 38, 1) || ' ' || substr(new.address, 39, 1) || ' ' || "
            "substr(new.address, 40, 1) || ' ' || substr(new.address, 41, 1) || ' ' || "
            "substr(new.address, 42, 1) || ' ' || substr(new.address, 43, 1) || ' ' || "
            "substr(new.address, 44, 1) || ' ' || substr(new.address, 45, 1) || ' ' || "
            "substr(new.address, 46, 1) || ' ' || substr(new.address, 47, 1) || ' ' || "
            "substr(new.address, 48, 1) || ' ' || substr(new.address, 49, 1) || ' ' || "
            "substr(new.address, 50, 1) || ' ' || substr(new.address, 51, 1) || ' ' || "
            "substr(new.address, 52, 1) || ' ' || substr(new.address, 53, 1) || ' ' || "
            "substr(new.address, 54, 1) || ' ' || substr(new.address, 55, 1) || ' ' || "
            "substr(new.address, 56, 1) || ' ' || substr(new.address, 57, 1) || ' ' || "
            "substr(new.address, 58, 1) || ' ' || substr(new.address, 59, 1) || ' ' || "
            "substr(new.address, 60, 1) || ' ' || substr(new.address, 61, 1) || ' ' || "
            "substr(new.address, 62, 1) || ' ' || substr(new.address, 63, 1) || ' ' || "
            "substr(new.address, 64, 1) || ' ' || substr(new.address, 65, 1) || ' ' || "
            "substr(new.address, 66, 1) || ' ' || substr(new.address, 67, 1) || ' ' || "
            "substr(new.address, 68, 1) || ' ' || substr(new.address, 69, 1) || ' ' || "
            "substr(new.address, 70, 1) || ' ' || substr(new.address, 71, 1) || ' ' || "
            "substr(new.address, 72, 1) || ' ' || substr(new.address, 73, 1) || ' ' || "
            "substr(new.address, 74, 1) || ' ' || substr(new.address, 75, 1) || ' ' || "
            "substr(new.address, 76, 1) || ' ' || substr(new.address, 77, 1) || ' ' || "
            "substr(new.address, 78, 1) || ' ' || substr(new.address, 79, 1) || ' ' || "
            "substr(new.address, 80, 1) || ' ' || substr(new.address, 81, 1) || ' ' || "
            "substr(new.address, 82, 1) || ' ' || substr(new.address, 83, 1) || ' ' || "
            "substr(new.address, 84, 1) || ' ' || substr(new.address, 85, 1) || ' ' || "
            "substr(new.address, 86, 1) || ' ' || substr(new.address, 87, 1) || ' ' || "
            "substr(new.address, 88, 1) || ' ' || substr(new.address, 89, 1) || ' ' || "
            "substr(new.address, 90, 1) || ' ' || substr(new.address, 91, 1) || ' ' || "
            "substr(new.address, 92, 1) || ' ' || substr(new.address, 93, 1) || ' ' || "
            "substr(new.address, 94, 1) || ' ' || substr(new.address, 95, 1) || ' ' || "
            "substr(new.address, 96, 1) || ' ' || substr(new.address, 97, 1) || ' ' || "
            "substr(new.address, 98, 1) || ' ' || substr(new.address, 99, 1) || ' ' || "
            "substr(new.address, 100, 1) || ' ' || substr(new.address, 101, 1) || ' ' || "
            "substr(new.address, 102, 1) || ' ' || substr(new.address, 103, 1) || ' ' || "
            "substr(new.address, 104, 1) || ' ' || substr(new.address, 105, 1) || ' ' || "
            "substr(new.address, 106, 1) || ' ' || substr(new.address, 107, 1) || ' ' || "
            "substr(new.address, 108, 1) || ' ' || substr(new.address, 109, 1) || ' ' || "
            "substr(new.address, 110, 1) || ' ' || substr(new.address, 111, 1) || ' ' || "
            "substr(new.address, 112, 1) || ' ' || substr(new.address, 113, 1) || ' ' || "
            "substr(new.address, 114, 1) || ' ' || substr(new.address, 115, 1) || ' ' || "
            "substr(new.address, 116, 1) || ' ' || substr(new.address, 117, 1) || ' ' || "
            "substr(new.address, 118, 1) || ' ' || substr(new.address, 119, 1) || ' ' || "
            "substr(new.address, 120, 1) || ' ' || substr(new.address, 1, 2) || ' ' || "
            "substr(new.address, 2, 2) || ' ' || substr(new.address, 3, 2) || ' ' || "
            "substr(new.address, 4, 2) || ' ' || substr(new.address, 5, 2) || ' ' || "
            "substr(new.address, 6, 2) || ' ' || substr(new.address, 7, 2) || ' ' || "
            "substr(new.address, 8, 2) || ' ' || substr(new.address, 9, 2) || ' ' || "
            "substr(new.address, 10, 2) || ' ' || substr(new.address, 11, 2) || ' ' || "
            "substr(new.address, 12, 2) || ' ' || substr(new.address, 13, 2) || ' ' || "
            "substr(new.address, 14, 2) || ' ' || substr(new.address, 15, 2) || ' ' || "
            "substr(new.address, 16, 2) || ' ' || substr(new.address, 17, 2) || ' ' || "
            "substr(new.address, 18, 2) || ' ' || substr(new.address, 19, 2) || ' ' || "
            "substr(new.address, 20, 2) || ' ' || substr(new.address, 21, 2) || ' ' || "
            "substr(new.address, 22, 2) || ' ' || substr(new.address, 23, 2) || ' ' || "
            "substr(new.address, 24, 2) || ' ' || substr(new.address, 25, 2) || ' ' || "
            "substr(new.address, 26, 2) || ' ' || substr(new.address, 27, 2) || ' ' || "
            "substr(new.address, 28, 2) || ' ' || substr(new.address, 29, 2) || ' ' || "
            "substr(new.address, 30, 2) || ' ' || substr(new.address, 31, 2) || ' ' || "
            "substr(new.address, 32, 2) || ' ' || substr(new.address, 33, 2) || ' ' || "
            "substr(new.address, 34, 2) || ' ' || substr(new.address, 35, 2) || ' ' || "
            "substr(new.address, 36, 2) || ' ' || substr(new.address, 37, 2) || ' ' || "
            "substr(new.address, 38, 2) || ' ' || substr(new.address, 39, 2) || ' ' || "
            "substr(new.address, 40, 2) || ' ' || substr(new.address, 41, 2) || ' ' || "
            "substr(new.address, 42, 2) || ' ' || substr(new.address, 43, 2) || ' ' || "
            "substr(new.address, 44, 2) || ' ' || substr(new.address, 45, 2) || ' ' || "
            "substr(new.address, 46, 2) || ' ' || substr(new.address, 47, 2) || ' ' || "
            "substr(new.address, 48, 2) || ' ' || substr(new.address, 49, 2) || ' ' || "
            "substr(new.address, 50, 2) || ' ' || substr(new.address, 51, 2) || ' ' || "
            "substr(new.address, 52, 2) || ' ' || substr(new.address, 53, 2) || ' ' || "
            "substr(new.address, 54, 2) || ' ' || substr(new.address, 55, 2) || ' ' || "
            "substr(new.address, 56, 2) || ' ' || substr(new.address, 57, 2) || ' ' || "
            "substr(new.address, 58, 2) || ' ' || substr(new.address, 59, 2) || ' ' || "
            "substr(new.address, 60, 2) || ' ' || substr(new.address, 61, 2) || ' ' || "
            "substr(new.address, 62, 2) || ' ' || substr(new.address, 63, 2) || ' ' || "
            "substr(new.address, 64, 2) || ' ' || substr(new.address, 65, 2) || ' ' || "
            "substr(new.address, 66, 2) || ' ' || substr(new.address, 67, 2) || ' ' || "
            "substr(new.address, 68, 2) || ' ' || substr(new.address, 69, 2) || ' ' || "
            "substr(new.address, 70, 2) || ' ' || substr(new.address, 71, 2) || ' ' || "
            "substr(new.address, 72, 2) || ' ' || substr(new.address, 73, 2) || ' ' || "
            "substr(new.address, 74, 2) || ' ' || substr(new.address, 75, 2) || ' ' || "
            "substr(new.address, 76, 2) || ' ' || substr(new.address, 77, 2) || ' ' || "
            "substr(new.address, 78, 2) || ' ' || substr(new.address, 79, 2) || ' ' || "
            "substr(new.address, 80, 2) || ' ' || substr(new.address, 81, 2) || ' ' || "
            "substr(new.address, 82, 2) || ' ' || substr(new.address, 83, 2) || ' ' || "
            "substr(new.address, 84, 2) || ' ' || substr(new.address, 85, 2) || ' ' || "
            "substr(new.address, 86, 2) || ' ' || substr(new.address, 87, 2) || ' ' || "
            "substr(new.address, 88, 2) || ' ' || substr(new.address, 89, 2) || ' ' || "
            "substr(new.address, 90, 2) || ' ' || substr(new.address, 91, 2) || ' ' || "
            "substr(new.address, 92, 2) || ' ' || substr(new.address, 93, 2) || ' ' || "
            "substr(new.address, 94, 2) || ' ' || substr(new.address, 95, 2) || ' ' || "
            "substr(new.address, 96, 2) || ' ' || substr(new.address, 97, 2) || ' ' || "
            "substr(new.address, 98, 2) || ' ' || substr(new.address, 99, 2) || ' ' || "
            "substr(new.address, 100, 2) || ' ' || substr(new.address, 101, 2) || ' ' || "
            "substr(new.address, 102, 2) || ' ' || substr(new.address, 103, 2) || ' ' || "
            "substr(new.address, 104, 2) || ' ' || substr(new.address, 105, 2) || ' ' || "
            "substr(new.address, 106, 2) || ' ' || substr(new.address, 107, 2) || ' ' || "
            "substr(new.address, 108, 2) || ' ' || substr(new.address, 109, 2) || ' ' || "
            "substr(new.address, 110, 2) || ' ' || substr(new.address, 111, 2) || ' ' || "
            "substr(new.address, 112, 2) || ' ' || substr(new.address, 113, 2) || ' ' || "
            "substr(new.address, 114, 2) || ' ' || substr(new.address, 115, 2) || ' ' || "
            "substr(new.address, 116, 2) || ' ' || substr(new.address, 117, 2) || ' ' || "
            "substr(new.address, 118, 2) || ' ' || substr(new.address, 119, 2), '')); END",
            'CREATE TRIGGER IF NOT EXISTS users_grams_ad AFTER DELETE ON users BEGIN INSERT INTO '
            "users_grams(users_grams, rowid, name, phone, address) VALUES ('delete', "
            '((coalesce(old.community_id, 0) << 32) | old.id), coalesce(substr(old.name, 1, 1) '
            "|| ' ' || substr(old.name, 2, 1) || ' ' || substr(old.name, 3, 1) || ' ' || "
            "substr(old.name, 4, 1) || ' ' || substr(old.name, 5, 1) || ' ' || substr(old.name, "
            "6, 1) || ' ' || substr(old.name, 7, 1) || ' ' || substr(old.name, 8, 1) || ' ' || "
            "substr(old.name, 9, 1) || ' ' || substr(old.name, 10, 1) || ' ' || substr(old.name, "
            "11, 1) || ' ' || substr(old.name, 12, 1) || ' ' || substr(old.name, 13, 1) || ' ' "
            "|| substr(old.name, 14, 1) || ' ' || substr(old.name, 15, 1) || ' ' || "
            "substr(old.name, 16, 1) || ' ' || substr(old.name, 17, 1) || ' ' || "
            "substr(old.name, 18, 1) || ' ' || substr(old.name, 19, 1) || ' ' || "
            "substr(old.name, 20, 1) || ' ' || substr(old.name, 21, 1) || ' ' || "
            "substr(old.name, 22, 1) || ' ' || substr(old.name, 23, 1) || ' ' || "
            "substr(old.name, 24, 1) || ' ' || substr(old.name, 25, 1) || ' ' || "
            "substr(old.name, 26, 1) || ' ' || substr(old.name, 27, 1) || ' ' || "
            "substr(old.name, 28, 1) || ' ' || substr(old.name, 29, 1) || ' ' || "
            "substr(old.name, 30, 1) || ' ' || substr(old.name, 31, 1) || ' ' || "
            "substr(old.name, 32, 1) || ' ' || substr(old.name, 33, 1) || ' ' || "
            "substr(old.name, 34, 1) || ' ' || substr(old.name, 35, 1) || ' ' || "
            "substr(old.name, 36, 1) || ' ' || substr(old.name, 37, 1) || ' ' || "
            "substr(old.name, 38, 1) || ' ' || substr(old.name, 39, 1) || ' ' || "
            "substr(old.name, 40, 1) || ' ' || substr(old.name, 1, 2) || ' ' || substr(old.name, "
            "2, 2) || ' ' || substr(old.name, 3, 2) || ' ' || substr(old.name, 4, 2) || ' ' || "
            "substr(old.name, 5, 2) || ' ' || substr(old.name, 6, 2) || ' ' || substr(old.name, "
            "7, 2) || ' ' || substr(old.name, 8, 2) || ' ' || substr(old.name, 9, 2) || ' ' || "
            "substr(old.name, 10, 2) || ' ' || substr(old.name, 11, 2) || ' ' || "
            "substr(old.name, 12, 2) || ' ' || substr(old.name, 13, 2) || ' ' || "
            "substr(old.name, 14, 2) || ' ' || substr(old.name, 15, 2) || ' ' || "
            "substr(old.name, 16, 2) || ' ' || substr(old.name, 17, 2) || ' ' || "
            "substr(old.name, 18, 2) || ' ' || substr(old.name, 19, 2) || ' ' || "
            "substr(old.name, 20, 2) || ' ' || substr(old.name, 21, 2) || ' ' || "
            "substr(old.name, 22, 2) || ' ' || substr(old.name, 23, 2) || ' ' || "
            "substr(old.name, 24, 2) || ' ' || substr(old.name, 25, 2) || ' ' || "
            "substr(old.name, 26, 2) || ' ' || substr(old.name, 27, 2) || ' ' || "
            "substr(old.name, 28, 2) || ' ' || substr(old.name, 29, 2) || ' ' || "
            "substr(old.name, 30, 2) || ' ' || substr(old.name, 31, 2) || ' ' || "
            "substr(old.name, 32, 2) || ' ' || substr(old.name, 33, 2) || ' ' || "
            "substr(old.name, 34, 2) || ' ' || substr(old.name, 35, 2) || ' ' || "
            "substr(old.name, 36, 2) || ' ' || substr(old.name, 37, 2) || ' ' || "
            "substr(old.name, 38, 2) || ' ' || substr(old.name, 39, 2), ''), "
            "coalesce(substr(old.phone, 1, 1) || ' ' || substr(old.phone, 2, 1) || ' ' || "
            "substr(old.phone, 3, 1) || ' ' || substr(old.phone, 4, 1) || ' ' || "
            "substr(old.phone, 5, 1) || ' ' || substr(old.phone, 6, 1) || ' ' || "
            "substr(old.phone, 7, 1) || ' ' || substr(old.phone, 8, 1) || ' ' || "
            "substr(old.phone, 9, 1) || ' ' || substr(old.phone, 10, 1) || ' ' || "
            "substr(old.phone, 11, 1) || ' ' || substr(old.phone, 12, 1) || ' ' || "
            "substr(old.phone, 13, 1) || ' ' || substr(old.phone, 14, 1) || ' ' || "
            "substr(old.phone, 15, 1) || ' ' || substr(old.phone, 16, 1) || ' ' || "
            "substr(old.phone, 17, 1) || ' ' || substr(old.phone, 18, 1) || ' ' || "
            "substr(old.phone, 19, 1) || ' ' || substr(old.phone, 20, 1) || ' ' || "
            "substr(old.phone, 1, 2) || ' ' || substr(old.phone, 2, 2) || ' ' || "
            "substr(old.phone, 3, 2) || ' ' || substr(old.phone, 4, 2) || ' ' || "
            "substr(old.phone, 5, 2) || ' ' || substr(old.phone, 6, 2) || ' ' || "
            "substr(old.phone, 7, 2) || ' ' || substr(old.phone, 8, 2) || ' ' || "
            "substr(old.phone, 9, 2) || ' ' || substr(old.phone, 10, 2) || ' ' || "
            "substr(old.phone, 11, 2) || ' ' || substr(old.phone, 12, 2) || ' ' || "
            "substr(old.phone, 13, 2) || ' ' || substr(old.phone, 14, 2) || ' ' || "
            "substr(old.phone, 15, 2) || ' ' || substr(old.phone, 16, 2) || ' ' || "
            "substr(old.phone, 17, 2) || ' ' || substr(old.phone, 18, 2) || ' ' || "
            "substr(old.phone, 19, 2), ''), coalesce(substr(old.address, 1, 1) || ' ' || "
            "substr(old.address, 2, 1) || ' ' || substr(old.address, 3, 1) || ' ' || "
            "substr(old.address, 4, 1) || ' ' || substr(old.address, 5, 1) || ' ' || "
            "substr(old.address, 6, 1) || ' ' || substr(old.address, 7, 1) || ' ' || "
            "substr(old.address, 8, 1) || ' ' || substr(old.address, 9, 1) || ' ' || "
            "substr(old.address, 10, 1) || ' ' || substr(old.address, 11, 1) || ' ' || "
            "substr(old.address, 12, 1) || ' ' || substr(old.address, 13, 1) || ' ' || "
            "substr(old.address, 14, 1) || ' ' || substr(old.address, 15, 1) || ' ' || "
            "substr(old.address, 16, 1) || ' ' || substr(old.address, 17, 1) || ' ' || "
            "substr(old.address, 18, 1) || ' ' || substr(old.address, 19, 1) || ' ' || "
            "substr(old.address, 20, 1) || ' ' || substr(old.address, 21, 1) || ' ' || "
            "substr(old.address, 22, 1) || ' ' || substr(old.address, 23, 1) || ' ' || "
            "substr(old.address, 24, 1) || ' ' || substr(old.address, 25, 1) || ' ' || "
            "substr(old.address, 26, 1) || ' ' || substr(old.address, 27, 1) || ' ' || "
            "substr(old.address, 28, 1) || ' ' || substr(old.address, 29, 1) || ' ' || "
            "substr(old.address, 30, 1) || ' ' || substr(old.address, 31, 1) || ' ' || "
            "substr(old.address, 32, 1) || ' ' || substr(old.address, 33, 1) || ' ' || "
            "substr(old.address, 34, 1) || ' ' || substr(old.address, 35, 1) || ' ' || "
            "substr(old.address, 36, 1) || ' ' || substr(old.address, 37, 1) || ' ' || "
            "substr(old.address, 38, 1) || ' ' || substr(old.address, 39, 1) || ' ' || "
            "substr(old.address, 40, 1) || ' ' || substr(old.address, 41, 1) || ' ' || "
            "substr(old.address, 42, 1) || ' ' || substr(old.address, 43, 1) || ' ' || "
            "substr(old.address, 44, 1) || ' ' || substr(old.address, 45, 1) || ' ' || "
            "substr(old.address, 46, 1) || ' ' || substr(old.address, 47, 1) || ' ' || "
            "substr(old.address, 48, 1) || ' ' || substr(old.address, 49, 1) || ' ' || "
            "substr(old.address, 50, 1) || ' ' || substr(old.address, 51, 1) || ' ' || "
            "substr(old.address, 52, 1) || ' ' || substr(old.address, 53, 1) || ' ' || "
            "substr(old.address, 54, 1) || ' ' || substr(old.address, 55, 1) || ' ' || "
            "substr(old.address, 56, 1) || ' ' || substr(old.address, 57, 1) || ' ' || "
            "substr(old.address, 58, 1) || ' ' || substr(old.address, 59, 1) || ' ' || "
            "substr(old.address, 60, 1) || ' ' || substr(old.address, 61, 1) || ' ' || "
            "substr(old.address, 62, 1) || ' ' || substr(old.address, 63, 1) || ' ' || "
            "substr(old.address, 64, 1) || ' ' || substr(old.address, 65, 1) || ' ' || "
            "substr(old.address, 66, 1) || ' ' || substr(old.address, 67, 1) || ' ' || "
            "substr(old.address, 68, 1) || ' ' || substr(old.address, 69, 1) || ' ' || "
            "substr(old.address, 70, 1) || ' ' || substr(old.address, 71, 1) || ' ' || "
            "substr(old.address, 72, 1) || ' ' || substr(old.address, 73, 1) || ' ' || "
            "substr(old.address, 74, 1) || ' ' || substr(old.address, 75, 1) || ' ' || "
            "substr(old.address, 76, 1) || ' ' || substr(old.address, 77, 1) || ' ' || "
            "substr(old.address, 78, 1) || ' ' || substr(old.address, 79, 1) || ' ' || "
            "substr(old.address, 80, 1) || ' ' || substr(old.address, 81, 1) || ' ' || "
            "substr(old.address, 82, 1) || ' ' || substr(old.address, 83, 1) || ' ' || "
            "substr(old.address, 84, 1) || ' ' || substr(old.address, 85, 1) || ' ' || "
            "substr(old.address, 86, 1) || ' ' || substr(old.address, 87, 1) || ' ' || "
            "substr(old.address, 88, 1) || ' ' || substr(old.address, 89, 1) || ' ' || "
            "substr(old.address, 90, 1) || ' ' || substr(old.address, 91, 1) || ' ' || "
            "substr(old.address, 92, 1) || ' ' || substr(old.address, 93, 1) || ' ' || "
            "substr(old.address, 94, 1) || ' ' || substr(old.address, 95, 1) || ' ' || "
            "substr(old.address, 96, 1) || ' ' || substr(old.address, 97, 1) || ' ' || "
            "substr(old.address, 98, 1) || ' ' || substr(old.address, 99, 1) || ' ' || "
            "substr(old.address, 100, 1) || ' ' || substr(old.address, 101, 1) || ' ' || "
            "substr(old.address, 102, 1) || ' ' || substr(old.address, 103, 1) || ' ' || "
            "substr(old.address, 104, 1) || ' ' || substr(old.address, 105, 1) || ' ' || "
            "substr(old.address, 106, 1) || ' ' || substr(old.address, 107, 1) || ' ' || "
            "substr(old.address, 108, 1) || ' ' || substr(old.address, 109, 1) || ' ' || "
            "substr(old.address, 110, 1) || ' ' || substr(old.address, 111, 1) || ' ' || "
            "substr(old.address, 112, 1) || ' ' || substr(old.address, 113, 1) || ' ' || "
            "substr(old.address, 114, 1) || ' ' || substr(old.address, 115, 1) || ' ' || "
            "substr(old.address, 116, 1) || ' ' || substr(old.address, 117, 1) || ' ' || "
            "substr(old.address, 118, 1) || ' ' || substr(old.address, 119, 1) || ' ' || "
            "substr(old.address, 120, 1) || ' ' || substr(old.address, 1, 2) || ' ' || "
            "substr(old.address, 2, 2) || ' ' || substr(old.address, 3, 2) || ' ' || "
            "substr(old.address, 4, 2) || ' ' || substr(old.address, 5, 2) || ' ' || "
            "substr(old.address, 6, 2) || ' ' || substr(old.address, 7, 2) || ' ' || "
            "substr(old.address, 8, 2) || ' ' || substr(old.address, 9, 2) || ' ' || "
            "substr(old.address, 10, 2) || ' ' || substr(old.address, 11, 2) || ' ' || "
            "substr(old.address, 12, 2) || ' ' || substr(old.address, 13, 2) || ' ' || "
            "substr(old.address, 14, 2) || ' ' || substr(old.address, 15, 2) || ' ' || "
            "substr(old.address, 16, 2) || ' ' || substr(old.address, 17, 2) || ' ' || "
            "substr(old.address, 18, 2) || ' ' || substr(old.address, 19, 2) || ' ' || "
            "substr(old.address, 20, 2) || ' ' || substr(old.address, 21, 2) || ' ' || "
            "substr(old.address, 22, 2) || ' ' || substr(old.address, 23, 2) || ' ' || "
            "substr(old.address, 24, 2) || ' ' || substr(old.address, 25, 2) || ' ' || "
            "substr(old.address, 26, 2) || ' ' || substr(old.address, 27, 2) || ' ' || "
            "substr(old.address, 28, 2) || ' ' || substr(old.address, 29, 2) || ' ' || "
            "substr(old.address, 30, 2) || ' ' || substr(old.address, 31, 2) || ' ' || "
            "substr(old.address, 32, 2) || ' ' || substr(old.address, 33, 2) || ' ' || "
            "substr(old.address, 34, 2) || ' ' || substr(old.address, 35, 2) || ' ' || "
            "substr(old.address, 36, 2) || ' ' || substr(old.address, 37, 2) || ' ' || "
            "substr(old.address, 38, 2) || ' ' || substr(old.address, 39, 2) || ' ' || "
            "substr(old.address, 40, 2) || ' ' || substr(old.address, 41, 2) || ' ' || "
            "substr(old.address, 42, 2) || ' ' || substr(old.address, 43, 2) || ' ' || "
            "substr(old.address, 44, 2) || ' ' || substr(old.address, 45, 2) || ' ' || "
            "substr(old.address, 46, 2) || ' ' || substr(old.address, 47, 2) || ' ' || "
            "substr(old.address, 48, 2) || ' ' || substr(old.address, 49, 2) || ' ' || "
            "substr(old.address, 50, 2) || ' ' || substr(old.address, 51, 2) || ' ' || "
            "substr(old.address, 52, 2) || ' ' || substr(old.address, 53, 2) || ' ' || "
            "substr(old.address, 54, 2) || ' ' || substr(old.address, 55, 2) || ' ' || "
            "substr(old.address, 56, 2) || ' ' || substr(old.address, 57, 2) || ' ' || "
            "substr(old.address, 58, 2) || ' ' || substr(old.address, 59, 2) || ' ' || "
            "substr(old.address, 60, 2) || ' ' || substr(old.address, 61, 2) || ' ' || "
            "substr(old.address, 62, 2) || ' ' || substr(old.address, 63, 2) || ' ' || "
            "substr(old.address, 64, 2) || ' ' || substr(old.address, 65, 2) || ' ' || "
            "substr(old.address, 66, 2) || ' ' || substr(old.address, 67, 2) || ' ' || "
            "substr(old.address, 68, 2) || ' ' || substr(old.address, 69, 2) || ' ' || "
            "substr(old.address, 70, 2) || ' ' || substr(old.address, 71, 2) || ' ' || "
            "substr(old.address, 72, 2) || ' ' || substr(old.address, 73, 2) || ' ' || "
            "substr(old.address, 74, 2) || ' ' || substr(old.address, 75, 2) || ' ' || "
            "substr(old.address, 76, 2) || ' ' || substr(old.address, 77, 2) || ' ' || "
            "substr(old.address, 78, 2) || ' ' || substr(old.address, 79, 2) || ' ' || "
            "substr(old.address, 80, 2) || ' ' || substr(old.address, 81, 2) || ' ' || "
            "substr(old.address, 82, 2) || ' ' || substr(old.address, 83, 2) || ' ' || "
            "substr(old.address, 84, 2) || ' ' || substr(old.address, 85, 2) || ' ' || "
            "substr(old.address, 86, 2) || ' ' || substr(old.address, 87, 2) || ' ' || "
            "substr(old.address, 88, 2) || ' ' || substr(old.address, 89, 2) || ' ' || "
            "substr(old.address, 90, 2) || ' ' || substr(old.address, 91, 2) || ' ' || "
            "substr(old.address, 92, 2) || ' ' || substr(old.address, 93, 2) || ' ' || "
            "substr(old.address, 94, 2) || ' ' || substr(old.address, 95, 2) || ' ' || "
            "substr(old.address, 96, 2) || ' ' || substr(old.address, 97, 2) || ' ' || "
            "substr(old.address, 98, 2) || ' ' || substr(old.address, 99, 2) || ' ' || "
            "substr(old.address, 100, 2) || ' ' || substr(old.address, 101, 2) || ' ' || "
            "substr(old.address, 102, 2) || ' ' || substr(old.address, 103, 2) || ' ' || "
            "substr(old.address, 104, 2) || ' ' || substr(old.address, 105, 2) || ' ' || "
            "substr(old.address, 106, 2) || ' ' || substr(old.address, 107, 2) || ' ' || "
            "substr(old.address, 108, 2) || ' ' || substr(old.address, 109, 2) || ' ' || "
            "substr(old.address, 110, 2) || ' ' || substr(old.address, 111, 2) || ' ' || "
            "substr(old.address, 112, 2) || ' ' || substr(old.address, 113, 2) || ' ' || "
            "substr(old.address, 114, 2) || ' ' || substr(old.address, 115, 2) || ' ' || "
            "substr(old.address, 116, 2) || ' ' || substr(old.address, 117, 2) || ' ' || "
            "substr(old.address, 118, 2) || ' ' || substr(old.address, 119, 2), '')); END",
            'CREATE TRIGGER IF NOT EXISTS users_grams_au AFTER UPDATE OF name, phone, address, '
            "community_id ON users BEGIN SELECT RAISE(ABORT, 'users.name is longer than 40') "
            "WHERE length(new.name) > 40; SELECT RAISE(ABORT, 'users.phone is longer than 20') "
            "WHERE length(new.phone) > 20; SELECT RAISE(ABORT, 'users.address is longer than "
            "120') WHERE length(new.address) > 120; INSERT INTO users_grams(users_grams, rowid, "
            "name, phone, address) VALUES ('delete', ((coalesce(old.community_id, 0) << 32) | "
            "old.id), coalesce(substr(old.name, 1, 1) || ' ' || substr(old.name, 2, 1) || ' ' || "
            "substr(old.name, 3, 1) || ' ' || substr(old.name, 4, 1) || ' ' || substr(old.name, "
            "5, 1) || ' ' || substr(old.name, 6, 1) || ' ' || substr(old.name, 7, 1) || ' ' || "
            "substr(old.name, 8, 1) || ' ' || substr(old.name, 9, 1) || ' ' || substr(old.name, "
            "10, 1) || ' ' || substr(old.name, 11, 1) || ' ' || substr(old.name, 12, 1) || ' ' "
            "|| substr(old.name, 13, 1) || ' ' || substr(old.name, 14, 1) || ' ' || "
            "substr(old.name, 15, 1) || ' ' || substr(old.name, 16, 1) || ' ' || "
            "substr(old.name, 17, 1) || ' ' || substr(old.name, 18, 1) || ' ' || "
            "substr(old.name, 19, 1) || ' ' || substr(old.name, 20, 1) || ' ' || "
            "substr(old.name, 21, 1) || ' ' || substr(old.name, 22, 1) || ' ' || "
            "substr(old.name, 23, 1) || ' ' || substr(old.name, 24, 1) || ' ' || "
            "substr(old.name, 25, 1) || ' ' || substr(old.name, 26, 1) || ' ' || "
            "substr(old.name, 27, 1) || ' ' || substr(old.name, 28, 1) || ' ' || "
            "substr(old.name, 29, 1) || ' ' || substr(old.name, 30, 1) || ' ' || "
            "substr(old.name, 31, 1) || ' ' || substr(old.name, 32, 1) || ' ' || "
            "substr(old.name, 33, 1) || ' ' || substr(old.name, 34, 1) || ' ' || "
            "substr(old.name, 35, 1) || ' ' || substr(old.name, 36, 1) || ' ' || "
            "substr(old.name, 37, 1) || ' ' || substr(old.name, 38, 1) || ' ' || "
            "substr(old.name, 39, 1) || ' ' || substr(old.name, 40, 1) || ' ' || "
            "substr(old.name, 1, 2) || ' ' || substr(old.name, 2, 2) || ' ' || substr(old.name, "
            "3, 2) || ' ' || substr(old.name, 4, 2) || ' ' || substr(old.name, 5, 2) || ' ' || "
            "substr(old.name, 6, 2) || ' ' || substr(old.name, 7, 2) || ' ' || substr(old.name, "
            "8, 2) || ' ' || substr(old.name, 9, 2) || ' ' || substr(old.name, 10, 2) || ' ' || "
            "substr(old.name, 11, 2) || ' ' || substr(old.name, 12, 2) || ' ' || "
            "substr(old.name, 13, 2) || ' ' || substr(old.name, 14, 2) || ' ' || "
            "substr(old.name, 15, 2) || ' ' || substr(old.name, 16, 2) || ' ' || "
            "substr(old.name, 17, 2) || ' ' || substr(old.name, 18, 2) || ' ' || "
            "substr(old.name, 19, 2) || ' ' || substr(old.name, 20, 2) || ' ' || "
            "substr(old.name, 21, 2) || ' ' || substr(old.name, 22, 2) || ' ' || "
            "substr(old.name, 23, 2) || ' ' || substr(old.name, 24, 2) || ' ' || "
            "substr(old.name, 25, 2) || ' ' || substr(old.name, 26, 2) || ' ' || "
            "substr(old.name, 27, 2) || ' ' || substr(old.name, 28, 2) || ' ' || "
            "substr(old.name, 29, 2) || ' ' || substr(old.name, 30, 2) || ' ' || "
            "substr(old.name, 31, 2) || ' ' || substr(old.name, 32, 2) || ' ' || "
            "substr(old.name, 33, 2) || ' ' || substr(old.name, 34, 2) || ' ' || "
            "substr(old.name, 35, 2) || ' ' || substr(old.name, 36, 2) || ' ' || "
            "substr(old.name, 37, 2) || ' ' || substr(old.name, 38, 2) || ' ' || "
            "substr(old.name, 39, 2), ''), coalesce(substr(old.phone, 1, 1) || ' ' || "
            "substr(old.phone, 2, 1) || ' ' || substr(old.phone, 3, 1) || ' ' || "
            "substr(old.phone, 4, 1) || ' ' || substr(old.phone, 5, 1) || ' ' || "
            "substr(old.phone, 6, 1) || ' ' || substr(old.phone, 7, 1) || ' ' || "
            "substr(old.phone, 8, 1) || ' ' || substr(old.phone, 9, 1) || ' ' || "
            "substr(old.phone, 10, 1) || ' ' || substr(old.phone, 11, 1) || ' ' || "
            "substr(old.phone, 12, 1) || ' ' || substr(old.phone, 13, 1) || ' ' || "
            "substr(old.phone, 14, 1) || ' ' || substr(old.phone, 15, 1) || ' ' || "
            "substr(old.phone, 16, 1) || ' ' || substr(old.phone, 17, 1) || ' ' || "
            "substr(old.phone, 18, 1) || ' ' || substr(old.phone, 19, 1) || ' ' || "
            "substr(old.phone, 20, 1) || ' ' || substr(old.phone, 1, 2) || ' ' || "
            "substr(old.phone, 2, 2) || ' ' || substr(old.phone, 3, 2) || ' ' || "
            "substr(old.phone, 4, 2) || ' ' || substr(old.phone, 5, 2) || ' ' || "
            "substr(old.phone, 6, 2) || ' ' || substr(old.phone, 7, 2) || ' ' || "
            "substr(old.phone, 8, 2) || ' ' || substr(old.phone, 9, 2) || ' ' || "
            "substr(old.phone, 10, 2) || ' ' || substr(old.phone, 11, 2) || ' ' || "
            "substr(old.phone, 12, 2) || ' ' || substr(old.phone, 13, 2) || ' ' || "
            "substr(old.phone, 14, 2) || ' ' || substr(old.phone, 15, 2) || ' ' || "
            "substr(old.phone, 16, 2) || ' ' || substr(old.phone, 17, 2) || ' ' || "
            "substr(old.phone, 18, 2) || ' ' || substr(old.phone, 19, 2), ''), "
            "coalesce(substr(old.address, 1, 1) || ' ' || substr(old.address, 2, 1) || ' ' || "
            "substr(old.address, 3, 1) || ' ' || substr(old.address, 4, 1) || ' ' || "
            "substr(old.address, 5, 1) || ' ' || substr(old.address, 6, 1) || ' ' || "
            "substr(old.address, 7, 1) || ' ' || substr(old.address, 8, 1) || ' ' || "
            "substr(old.address, 9, 1) || ' ' || substr(old.address, 10, 1) || ' ' || "
            "substr(old.address, 11, 1) || ' ' || substr(old.address, 12, 1) || ' ' || "
            "substr(old.address, 13, 1) || ' ' || substr(old.address, 14, 1) || ' ' || "
            "substr(old.address, 15, 1) || ' ' || substr(old.address, 16, 1) || ' ' || "
            "substr(old.address, 17, 1) || ' ' || substr(old.address, 18, 1) || ' ' || "
            "substr(old.address, 19, 1) || ' ' || substr(old.address, 20, 1) || ' ' || "
            "substr(old.address, 21, 1) || ' ' || substr(old.address, 22, 1) || ' ' || "
            "substr(old.address, 23, 1) || ' ' || substr(old.address, 24, 1) || ' ' || "
            "substr(old.address, 25, 1) || ' ' || substr(old.address, 26, 1) || ' ' || "
            "substr(old.address, 27, 1) || ' ' || substr(old.address, 28, 1) || ' ' || "
            "substr(old.address, 29, 1) || ' ' || substr(old.address, 30, 1) || ' ' || "
            "substr(old.address, 31, 1) || ' ' || substr(old.address, 32, 1) || ' ' || "
            "substr(old.address, 33, 1) || ' ' || substr(old.address, 34, 1) || ' ' || "
            "substr(old.address, 35, 1) || ' ' || substr(old.address, 36, 1) || ' ' || "
            "substr(old.address, 37, 1) || ' ' || substr(old.address, 38, 1) || ' ' || "
            "substr(old.address, 39, 1) || ' ' || substr(old.address, 40, 1) || ' ' || "
            "substr(old.address, 41, 1) || ' ' || substr(old.address, 42, 1) || ' ' || "
            "substr(old.address, 43, 1) || ' ' || substr(old.address, 44, 1) || ' ' || "
            "substr(old.address, 45, 1) || ' ' || substr(old.address, 46, 1) || ' ' || "
            "substr(old.address, 47, 1) || ' ' || substr(old.address, 48, 1) || ' ' || "
            "substr(old.address, 49, 1) || ' ' || substr(old.address, 50, 1) || ' ' || "
            "substr(old.address, 51, 1) || ' ' || substr(old.address, 52, 1) || ' ' || "
            "substr(old.address, 53, 1) || ' ' || substr(old.address, 54, 1) || ' ' || "
            "substr(old.address, 55, 1) || ' ' || substr(old.address, 56, 1) || ' ' || "
            "substr(old.address, 57, 1) || ' ' || substr(old.address, 58, 1) || ' ' || "
            "substr(old.address, 59, 1) || ' ' || substr(old.address, 60, 1) || ' ' || "
            "substr(old.address, 61, 1) || ' ' || substr(old.address, 62, 1) || ' ' || "
            "substr(old.address, 63, 1) || ' ' || substr(old.address, 64, 1) || ' ' || "
            "substr(old.address, 65, 1) || ' ' || substr(old.address, 66, 1) || ' ' || "
            "substr(old.address, 67, 1) || ' ' || substr(old.address, 68, 1) || ' ' || "
            "substr(old.address, 69, 1) || ' ' || substr(old.address, 70, 1) || ' ' || "
            "substr(old.address, 71, 1) || ' ' || substr(old.address, 72, 1) || ' ' || "
            "substr(old.address, 73, 1) || ' ' || substr(old.address, 74, 1) || ' ' || "
            "substr(old.address, 75, 1) || ' ' || substr(old.address, 76, 1) || ' ' || "
            "substr(old.address, 77, 1) || ' ' || substr(old.address, 78, 1) || ' ' || "
            "substr(old.address, 79, 1) || ' ' || substr(old.address, 80, 1) || ' ' || "
            "substr(old.address, 81, 1) || ' ' || substr(old.address, 82, 1) || ' ' || "
            "substr(old.address, 83, 1) || ' ' || substr(old.address, 84, 1) || ' ' || "
            "substr(old.address, 85, 1) || ' ' || substr(old.address, 86, 1) || ' ' || "
            "substr(old.address, 87, 1) || ' ' || substr(old.address, 88, 1) || ' ' || "
            "substr(old.address, 89, 1) || ' ' || substr(old.address, 90, 1) || ' ' || "
            "substr(old.address, 91, 1) || ' ' || substr(old.address, 92, 1) || ' ' || "
            "substr(old.address, 93, 1) || ' ' || substr(old.address, 94, 1) || ' ' || "
            "substr(old.address, 95, 1) || ' ' || substr(old.address, 96, 1) || ' ' || "
            "substr(old.address, 97, 1) || ' ' || substr(old.address, 98, 1) || ' ' || "
            "substr(old.address, 99, 1) || ' ' || substr(old.address, 100, 1) || ' ' || "
            "substr(old.address, 101, 1) || ' ' || substr(old.address, 102, 1) || ' ' || "
            "substr(old.address, 103, 1) || ' ' || substr(old.address, 104, 1) || ' ' || "
            "substr(old.address, 105, 1) || ' ' || substr(old.address, 106, 1) || ' ' || "
            "substr(old.address, 107, 1) || ' ' || substr(old.address, 108, 1) || ' ' || "
            "substr(old.address, 109, 1) || ' ' || substr(old.address, 110, 1) || ' ' || "
            "substr(old.address, 111, 1) || ' ' || substr(old.address, 112, 1) || ' ' || "
            "substr(old.address, 113, 1) || ' ' || substr(old.address, 114, 1) || ' ' || "
            "substr(old.address, 115, 1) || ' ' || substr(old.address, 116, 1) || ' ' || "
            "substr(old.address, 117, 1) || ' ' || substr(old.address, 118, 1) || ' ' || "
            "substr(old.address, 119, 1) || ' ' || substr(old.address, 120, 1) || ' ' || "
            "substr(old.address, 1, 2) || ' ' || substr(old.address, 2, 2) || ' ' || "
            "substr(old.address, 3, 2) || ' ' || substr(old.address, 4, 2) || ' ' || "
            "substr(old.address, 5, 2) || ' ' || substr(old.address, 6, 2) || ' ' || "
            "substr(old.address, 7, 2) || ' ' || substr(old.address, 8, 2) || ' ' || "
            "substr(old.address, 9, 2) || ' ' || substr(old.address, 10, 2) || ' ' || "
            "substr(old.address, 11, 2) || ' ' || substr(old.address, 12, 2) || ' ' || "
            "substr(old.address, 13, 2) || ' ' || substr(old.address, 14, 2) || ' ' || "
            "substr(old.address, 15, 2) || ' ' || substr(old.address, 16, 2) || ' ' || "
            "substr(old.address, 17, 2) || ' ' || substr(old.address, 18, 2) || ' ' || "
            "substr(old.address, 19, 2) || ' ' || substr(old.address, 20, 2) || ' ' || "
            "substr(old.address, 21, 2) || ' ' || substr(old.address, 22, 2) || ' ' || "
            "substr(old.address, 23, 2) || ' ' || substr(old.address, 24, 2) || ' ' || "
            "substr(old.address, 25, 2) || ' ' || substr(old.address, 26, 2) || ' ' || "
            "substr(old.address, 27, 2) || ' ' || substr(old.address, 28, 2) || ' ' || "
            "substr(old.address, 29, 2) || ' ' || substr(old.address, 30, 2) || ' ' || "
            "substr(old.address, 31, 2) || ' ' || substr(old.address, 32, 2) || ' ' || "
            "substr(old.address, 33, 2) || ' ' || substr(old.address, 34, 2) || ' ' || "
            "substr(old.address, 35, 2) || ' ' || substr(old.address, 36, 2) || ' ' || "
            "substr(old.address, 37, 2) || ' ' || substr(old.address, 38, 2) || ' ' || "
            "substr(old.address, 39, 2) || ' ' || substr(old.address, 40, 2) || ' ' || "
            "substr(old.address, 41, 2) || ' ' || substr(old.address, 42, 2) || ' ' || "
            "substr(old.address, 43, 2) || ' ' || substr(old.address, 44, 2) || ' ' || "
            "substr(old.address, 45, 2) || ' ' || substr(old.address, 46, 2) || ' ' || "
            "substr(old.address, 47, 2) || ' ' || substr(old.address, 48, 2) || ' ' || "
            "substr(old.address, 49, 2) || ' ' || substr(old.address, 50, 2) || ' ' || "
            "substr(old.address, 51, 2) || ' ' || substr(old.address, 52, 2) || ' ' || "
            "substr(old.address, 53, 2) || ' ' || substr(old.address, 54, 2) || ' ' || "
            "substr(old.address, 55, 2) || ' ' || substr(old.address, 56, 2) || ' ' || "
            "substr(old.address, 57, 2) || ' ' || substr(old.address, 58, 2) || ' ' || "
            "substr(old.address, 59, 2) || ' ' || substr(old.address, 60, 2) || ' ' || "
            "substr(old.address, 61, 2) || ' ' || substr(old.address, 62, 2) || ' ' || "
            "substr(old.address, 63, 2) || ' ' || substr(old.address, 64, 2) || ' ' || "
            "substr(old.address, 65, 2) || ' ' || substr(old.address, 66, 2) || ' ' || "
            "substr(old.address, 67, 2) || ' ' || substr(old.address, 68, 2) || ' ' || "
            "substr(old.address, 69, 2) || ' ' || substr(old.address, 70, 2) || ' ' || "
            "substr(old.address, 71, 2) || ' ' || substr(old.address, 72, 2) || ' ' || "
            "substr(old.address, 73, 2) || ' ' || substr(old.address, 74, 2) || ' ' || "
            "substr(old.address, 75, 2) || ' ' || substr(old.address, 76, 2) || ' ' || "
            "substr(old.address, 77, 2) || ' ' || substr(old.address, 78, 2) || ' ' || "
            "substr(old.address, 79, 2) || ' ' || substr(old.address, 80, 2) || ' ' || "
            "substr(old.address, 81, 2) || ' ' || substr(old.address, 82, 2) || ' ' || "
            "substr(old.address, 83, 2) || ' ' || substr(old.address, 84, 2) || ' ' || "
            "substr(old.address, 85, 2) || ' ' || substr(old.address, 86, 2) || ' ' || "
            "substr(old.address, 87, 2) || ' ' || substr(old.address, 88, 2) || ' ' || "
            "substr(old.address, 89, 2) || ' ' || substr(old.address, 90, 2) || ' ' || "
            "substr(old.address, 91, 2) || ' ' || substr(old.address, 92, 2) || ' ' || "
            "substr(old.address, 93, 2) || ' ' || substr(old.address, 94, 2) || ' ' || "
            "substr(old.address, 95, 2) || ' ' || substr(old.address, 96, 2) || ' ' || "
            "substr(old.address, 97, 2) || ' ' || substr(old.address, 98, 2) || ' ' || "
            "substr(old.address, 99, 2) || ' ' || substr(old.address, 100, 2) || ' ' || "
            "substr(old.address, 101, 2) || ' ' || substr(old.address, 102, 2) || ' ' || "
            "substr(old.address, 103, 2) || ' ' || substr(old.address, 104, 2) || ' ' || "
            "substr(old.address, 105, 2) || ' ' || substr(old.address, 106, 2) || ' ' || "
            "substr(old.address, 107, 2) || ' ' || substr(old.address, 108, 2) || ' ' || "
            "substr(old.address, 109, 2) || ' ' || substr(old.address, 110, 2) || ' ' || "
            "substr(old.address, 111, 2) || ' ' || substr(old.address, 112, 2) || ' ' || "
            "substr(old.address, 113, 2) || ' ' || substr(old.address, 114, 2) || ' ' || "
            "substr(old.address, 115, 2) || ' ' || substr(old.address, 116, 2) || ' ' || "
            "substr(old.address, 117, 2) || ' ' || substr(old.address, 118, 2) || ' ' || "
            "substr(old.address, 119, 2), '')); INSERT INTO users_grams(rowid, name, phone, "
            'address) VALUES (((coalesce(new.community_id, 0) << 32) | new.id), '
            "coalesce(substr(new.name, 1, 1) || ' ' || substr(new.name, 2, 1) || ' ' || "
            "substr(new.name, 3, 1) || ' ' || substr(new.name, 4, 1) || ' ' || substr(new.name, "
            "5, 1) || ' ' || substr(new.name, 6, 1) || ' ' || substr(new.name, 7, 1) || ' ' || "
            "substr(new.name, 8, 1) || ' ' || substr(new.name, 9, 1) || ' ' || substr(new.name, "
            "10, 1) || ' ' || substr(new.name, 11, 1) || ' ' || substr(new.name, 12, 1) || ' ' "
            "|| substr(new.name, 13, 1) || ' ' || substr(new.name, 14, 1) || ' ' || "
            "substr(new.name, 15, 1) || ' ' || substr(new.name, 16, 1) || ' ' || "
            "substr(new.name, 17, 1) || ' ' || substr(new.name, 18, 1) || ' ' || "
            "substr(new.name, 19, 1) || ' ' || substr(new.name, 20, 1) || ' ' || "
            "substr(new.name, 21, 1) || ' ' || substr(new.name, 22, 1) || ' ' || "
            "substr(new.name, 23, 1) || ' ' || substr(new.name, 24, 1) || ' ' || "
            "substr(new.name, 25, 1) || ' ' || substr(new.name, 26, 1) || ' ' || "
            "substr(new.name, 27, 1) || ' ' || substr(new.name, 28, 1) || ' ' || "
            "substr(new.name, 29, 1) || ' ' || substr(new.name, 30, 1) || ' ' || "
            "substr(new.name, 31, 1) || ' ' || substr(new.name, 32, 1) || ' ' || "
            "substr(new.name, 33, 1) || ' ' || substr(new.name, 34, 1) || ' ' || "
            "substr(new.name, 35, 1) || ' ' || substr(new.name, 36, 1) || ' ' || "
            "substr(new.name, 37, 1) || ' ' || substr(new.name, 38, 1) || ' ' || "
            "substr(new.name, 39, 1) || ' ' || substr(new.name, 40, 1) || ' ' || "
            "substr(new.name, 1, 2) || ' ' || substr(new.name, 2, 2) || ' ' || substr(new.name, "
            "3, 2) || ' ' || substr(new.name, 4, 2) || ' ' || substr(new.name, 5, 2) || ' ' || "
            "substr(new.name, 6, 2) || ' ' || substr(new.name, 7, 2) || ' ' || substr(new.name, "
            "8, 2) || ' ' || substr(new.name, 9, 2) || ' ' || substr(new.name, 10, 2) || ' ' || "
            "substr(new.name, 11, 2) || ' ' || substr(new.name, 12, 2) || ' ' || "
            "substr(new.name, 13, 2) || ' ' || substr(new.name, 14, 2) || ' ' || "
            "substr(new.name, 15, 2) || ' ' || substr(new.name, 16, 2) || ' ' || "
            "substr(new.name, 17, 2) || ' ' || substr(new.name, 18, 2) || ' ' || "
            "substr(new.name, 19, 2) || ' ' || substr(new.name, 20, 2) || ' ' || "
            "substr(new.name, 21, 2) || ' ' || substr(new.name, 22, 2) || ' ' || "
            "substr(new.name, 23, 2) || ' ' || substr(new.name, 24, 2) || ' ' || "
            "substr(new.name, 25, 2) || ' ' || substr(new.name, 26, 2) || ' ' || "
            "substr(new.name, 27, 2) || ' ' || substr(new.name, 28, 2) || ' ' || "
            "substr(new.name, 29, 2) || ' ' || substr(new.name, 30, 2) || ' ' || "
            "substr(new.name, 31, 2) || ' ' || substr(new.name, 32, 2) || ' ' || "
            "substr(new.name, 33, 2) || ' ' || substr(new.name, 34, 2) || ' ' || "
            "substr(new.name, 35, 2) || ' ' || substr(new.name, 36, 2) || ' ' || "
            "substr(new.name, 37, 2) || ' ' || substr(new.name, 38, 2) || ' ' || "
            "substr(new.name, 39, 2), ''), coalesce(substr(new.phone, 1, 1) || ' ' || "
            "substr(new.phone, 2, 1) || ' ' || substr(new.phone, 3, 1) || ' ' || "
            "substr(new.phone, 4, 1) || ' ' || substr(new.phone, 5, 1) || ' ' || "
            "substr(new.phone, 6, 1) || ' ' || substr(new.phone, 7, 1) || ' ' || "
            "substr(new.phone, 8, 1) || ' ' || substr(new.phone, 9, 1) || ' ' || "
            "substr(new.phone, 10, 1) || ' ' || substr(new.phone, 11, 1) || ' ' || "
            "substr(new.phone, 12, 1) || ' ' || substr(new.phone, 13, 1) || ' ' || "
            "substr(new.phone, 14, 1) || ' ' || substr(new.phone, 15, 1) || ' ' || "
            "substr(new.phone, 16, 1) || ' ' || substr(new.phone, 17, 1) || ' ' || "
            "substr(new.phone, 18, 1) || ' ' || substr(new.phone, 19, 1) || ' ' || "
            "substr(new.phone, 20, 1) || ' ' || substr(new.phone, 1, 2) || ' ' || "
            "substr(new.phone, 2, 2) || ' ' || substr(new.phone, 3, 2) || ' ' || "
            "substr(new.phone, 4, 2) || ' ' || substr(new.phone, 5, 2) || ' ' || "
            "substr(new.phone, 6, 2) || ' ' || substr(new.phone, 7, 2) || ' ' || "
            "substr(new.phone, 8, 2) || ' ' || substr(new.phone, 9, 2) || ' ' || "
            "substr(new.phone, 10, 2) || ' ' || substr(new.phone, 11, 2) || ' ' || "
            "substr(new.phone, 12, 2) || ' ' || substr(new.phone, 13, 2) || ' ' || "
            "substr(new.phone, 14, 2) || ' ' || substr(new.phone, 15, 2) || ' ' || "
            "substr(new.phone, 16, 2) || ' ' || substr(new.phone, 17, 2) || ' ' || "
            "substr(new.phone, 18, 2) || ' ' || substr(new.phone, 19, 2), ''), "
            "coalesce(substr(new.address, 1, 1) || ' ' || substr(new.address, 2, 1) || ' ' || "
            "substr(new.address, 3, 1) || ' ' || substr(new.address, 4, 1) || ' ' || "
            "substr(new.address, 5, 1) || ' ' || substr(new.address, 6, 1) || ' ' || "
            "substr(new.address, 7, 1) || ' ' || substr(new.address, 8, 1) || ' ' || "
            "substr(new.address, 9, 1) || ' ' || substr(new.address, 10, 1) || ' ' || "
            "substr(new.address, 11, 1) || ' ' || substr(new.address, 12, 1) || ' ' || "
            "substr(new.address, 13, 1) || ' ' || substr(new.address, 14, 1) || ' ' || "
            "substr(new.address, 15, 1) || ' ' || substr(new.address, 16, 1) || ' ' || "
            "substr(new.address, 17, 1) || ' ' || substr(new.address, 18, 1) || ' ' || "
            "substr(new.address, 19, 1) || ' ' || substr(new.address, 20, 1) || ' ' || "
            "substr(new.address, 21, 1) || ' ' || substr(new.address, 22, 1) || ' ' || "
            "substr(new.address, 23, 1) || ' ' || substr(new.address, 24, 1) || ' ' || "
            "substr(new.address, 25, 1) || ' ' || substr(new.address, 26, 1) || ' ' || "
            "substr(new.address, 27, 1) || ' ' || substr(new.address, 28, 1) || ' ' || "
            "substr(new.address, 29, 1) || ' ' || substr(new.address, 30, 1) || ' ' || "
            "substr(new.address, 31, 1) || ' ' || substr(new.address, 32, 1) || ' ' || "
            "substr(new.address, 33, 1) || ' ' || substr(new.address, 34, 1) || ' ' || "
            "substr(new.address, 35, 1) || ' ' || substr(new.address, 36, 1) || ' ' || "
            "substr(new.address, 37, 1) || ' ' || substr(new.address, 38, 1) || ' ' || "
            "substr(new.address, 39, 1) || ' ' || substr(new.address, 40, 1) || ' ' || "
            "substr(new.address, 41, 1) || ' ' || substr(new.address, 42, 1) || ' ' || "
            "substr(new.address, 43, 1) || ' ' || substr(new.address, 44, 1) || ' ' || "
            "substr(new.address, 45, 1) || ' ' || substr(new.address, 46, 1) || ' ' || "
            "substr(new.address, 47, 1) || ' ' || substr(new.address, 48, 1) || ' ' || "
            "substr(new.address, 49, 1) || ' ' || substr(new.address, 50, 1) || ' ' || "
            "substr(new.address, 51, 1) || ' ' || substr(new.address, 52, 1) || ' ' || "
            "substr(new.address, 53, 1) || ' ' || substr(new.address, 54, 1) || ' ' || "
            "substr(new.address, 55, 1) || ' ' || substr(new.address, 56, 1) || ' ' || "
            "substr(new.address, 57, 1) || ' ' || substr(new.address, 58, 1) || ' ' || "
            "substr(new.address, 59, 1) || ' ' || substr(new.address, 60, 1) || ' ' || "
            "substr(new.address, 61, 1) || ' ' || substr(new.address, 62, 1) || ' ' || "
            "substr(new.address, 63, 1) || ' ' || substr(new.address, 64, 1) || ' ' || "
            "substr(new.address, 65, 1) || ' ' || substr(new.address, 66, 1) || ' ' || "
            "substr(new.address, 67, 1) || ' ' || substr(new.address, 68, 1) || ' ' || "
            "substr(new.address, 69, 1) || ' ' || substr(new.address, 70, 1) || ' ' || "
            "substr(new.address, 71, 1) || ' ' || substr(new.address, 72, 1) || ' ' || "
            "substr(new.address, 73, 1) || ' ' || substr(new.address, 74, 1) || ' ' || "
            "substr(new.address, 75, 1) || ' ' || substr(new.address, 76, 1) || ' ' || "
            "substr(new.address, 77, 1) || ' ' || substr(new.address, 78, 1) || ' ' || "
            "substr(new.address, 79, 1) || ' ' || substr(new.address, 80, 1) || ' ' || "
            "substr(new.address, 81, 1) || ' ' || substr(new.address, 82, 1) || ' ' || "
            "substr(new.address, 83, 1) || ' ' || substr(new.address, 84, 1) || ' ' || "
            "substr(new.address, 85, 1) || ' ' || substr(new.address, 86, 1) || ' ' || "
            "substr(new.address, 87, 1) || ' ' || substr(new.address, 88, 1) || ' ' || "
            "substr(new.address, 89, 1) || ' ' || substr(new.address, 90, 1) || ' ' || "
            "substr(new.address, 91, 1) || ' ' || substr(new.address, 92, 1) || ' ' || "
            "substr(new.address, 93, 1) || ' ' || substr(new.address, 94, 1) || ' ' || "
            "substr(new.address, 95, 1) || ' ' || substr(new.address, 96, 1) || ' ' || "
            "substr(new.address, 97, 1) || ' ' || substr(new.address, 98, 1) || ' ' || "
            "substr(new.address, 99, 1) || ' ' || substr(new.address, 100, 1) || ' ' || "
            "substr(new.address, 101, 1) || ' ' || substr(new.address, 102, 1) || ' ' || "
            "substr(new.address, 103, 1) || ' ' || substr(new.address, 104, 1) || ' ' || "
            "substr(new.address, 105, 1) || ' ' || substr(new.address, 106, 1) || ' ' || "
            "substr(new.address, 107, 1) || ' ' || substr(new.address, 108, 1) || ' ' || "
            "substr(new.address, 109, 1) || ' ' || substr(new.address, 110, 1) || ' ' || "
            "substr(new.address, 111, 1) || ' ' || substr(new.address, 112, 1) || ' ' || "
            "substr(new.address, 113, 1) || ' ' || substr(new.address, 114, 1) || ' ' || "
            "substr(new.address, 115, 1) || ' ' || substr(new.address, 116, 1) || ' ' || "
            "substr(new.address, 117, 1) || ' ' || substr(new.address, 118, 1) || ' ' || "
            "substr(new.address, 119, 1) || ' ' || substr(new.address, 120, 1) || ' ' || "
            "substr(new.address, 1, 2) || ' ' || substr(new.address, 2, 2) || ' ' || "
            "substr(new.address, 3, 2) || ' ' || substr(new.address, 4, 2) || ' ' || "
            "substr(new.address, 5, 2) || ' ' || substr(new.address, 6, 2) || ' ' || "
            "substr(new.address, 7, 2) || ' ' || substr(new.address, 8, 2) || ' ' || "
            "substr(new.address, 9, 2) || ' ' || substr(new.address, 10, 2) || ' ' || "
            "substr(new.address, 11, 2) || ' ' || substr(new.address, 12, 2) || ' ' || "
            "substr(new.address, 13, 2) || ' ' || substr(new.address, 14, 2) || ' ' || "
            "substr(new.address, 15, 2) || ' ' || substr(new.address, 16, 2) || ' ' || "
            "substr(new.address, 17, 2) || ' ' || substr(new.address, 18, 2) || ' ' || "
            "substr(new.address, 19, 2) || ' ' || substr(new.address, 20, 2) || ' ' || "
            "substr(new.address, 21, 2) || ' ' || substr(new.address, 22, 2) || ' ' || "
            "substr(new.address, 23, 2) || ' ' || substr(new.address, 24, 2) || ' ' || "
            "substr(new.address, 25, 2) || ' ' || substr(new.address, 26, 2) || ' ' || "
            "substr(new.address, 27, 2) || ' ' || substr(new.address, 28, 2) || ' ' || "
            "substr(new.address, 29, 2) || ' ' || substr(new.address, 30, 2) || ' ' || "
            "substr(new.address, 31, 2) || ' ' || substr(new.address, 32, 2) || ' ' || "
            "substr(new.address, 33, 2) || ' ' || substr(new.address, 34, 2) || ' ' || "
            "substr(new.address, 35, 2) || ' ' || substr(new.address, 36, 2) || ' ' || "
            "substr(new.address, 37, 2) || ' ' || substr(new.address, 38, 2) || ' ' || "
            "substr(new.address, 39, 2) || ' ' || substr(new.address, 40, 2) || ' ' || "
            "substr(new.address, 41, 2) || ' ' || substr(new.address, 42, 2) || ' ' || "
            "substr(new.address, 43, 2) || ' ' || substr(new.address, 44, 2) || ' ' || "
            "substr(new.address, 45, 2) || ' ' || substr(new.address, 46, 2) || ' ' || "
            "substr(new.address, 47, 2) || ' ' || substr(new.address, 48, 2) || ' ' || "
            "substr(new.address, 49, 2) || ' ' || substr(new.address, 50, 2) || ' ' || "
            "substr(new.address, 51, 2) || ' ' || substr(new.address, 52, 2) || ' ' || "
            "substr(new.address, 53, 2) || ' ' || substr(new.address, 54, 2) || ' ' || "
            "substr(new.address, 55, 2) || ' ' || substr(new.address, 56, 2) || ' ' || "
            "substr(new.address, 57, 2) || ' ' || substr(new.address, 58, 2) || ' ' || "
            "substr(new.address, 59, 2) || ' ' || substr(new.address, 60, 2) || ' ' || "
            "substr(new.address, 61, 2) || ' ' || substr(new.address, 62, 2) || ' ' || "
            "substr(new.address, 63, 2) || ' ' || substr(new.address, 64, 2) || ' ' || "
            "substr(new.address, 65, 2) || ' ' || substr(new.address, 66, 2) || ' ' || "
            "substr(new.address, 67, 2) || ' ' || substr(new.address, 68, 2) || ' ' || "
            "substr(new.address, 69, 2) || ' ' || substr(new.address, 70, 2) || ' ' || "
            "substr(new.address, 71, 2) || ' ' || substr(new.address, 72, 2) || ' ' || "
            "substr(new.address, 73, 2) || ' ' || substr(new.address, 74, 2) || ' ' || "
            "substr(new.address, 75, 2) || ' ' || substr(new.address, 76, 2) || ' ' || "
            "substr(new.address, 77, 2) || ' ' || substr(new.address, 78, 2) || ' ' || "
            "substr(new.address, 79, 2) || ' ' || substr(new.address, 80, 2) || ' ' || "
            "substr(new.address, 81, 2) || ' ' || substr(new.address, 82, 2) || ' ' || "
            "substr(new.address, 83, 2) || ' ' || substr(new.address, 84, 2) || ' ' || "
            "substr(new.address, 85, 2) || ' ' || substr(new.address, 86, 2) || ' ' || "
            "substr(new.address, 87, 2) || ' ' || substr(new.address, 88, 2) || ' ' || "
            "substr(new.address, 89, 2) || ' ' || substr(new.address, 90, 2) || ' ' || "
            "substr(new.address, 91, 2) || ' ' || substr(new.address, 92, 2) || ' ' || "
            "substr(new.address, 93, 2) || ' ' || substr(new.address, 94, 2) || ' ' || "
            "substr(new.address, 95, 2) || ' ' || substr(new.address, 96, 2) || ' ' || "
            "substr(new.address, 97, 2) || ' ' || substr(new.address, 98, 2) || ' ' || "
            "substr(new.address, 99, 2) || ' ' || substr(new.address, 100, 2) || ' ' || "
            "substr(new.address, 101, 2) || ' ' || substr(new.address, 102, 2) || ' ' || "
            "substr(new.address, 103, 2) || ' ' || substr(new.address, 104, 2) || ' ' || "
            "substr(new.address, 105, 2) || ' ' || substr(new.address, 106, 2) || ' ' || "
            "substr(new.address, 107, 2) || ' ' || substr(new.address, 108, 2) || ' ' || "
            "substr(new.address, 109, 2) || ' ' || substr(new.address, 110, 2) || ' ' || "
            "substr(new.address, 111, 2) || ' ' || substr(new.address, 112, 2) || ' ' || "
            "substr(new.address, 113, 2) || ' ' || substr(new.address, 114, 2) || ' ' || "
            "substr(new.address, 115, 2) || ' ' || substr(new.address, 116, 2) || ' ' || "
            "substr(new.address, 117, 2) || ' ' || substr(new.address, 118, 2) || ' ' || "
            "substr(new.address, 119, 2), '')); END",
            'CREATE VIEW IF NOT EXISTS wishes_fts_src AS SELECT ((coalesce(community_id, 0) << '
            '32) | id) AS fts_key, title FROM wishes',
            'CREATE VIRTUAL TABLE IF NOT EXISTS wishes_fts USING fts5(title, '
            "content='wishes_fts_src', content_rowid='fts_key', tokenize='trigram')",
            "INSERT INTO wishes_fts(wishes_fts) VALUES ('rebuild')",
            'CREATE TRIGGER IF NOT EXISTS wishes_fts_ai AFTER INSERT ON wishes BEGIN INSERT INTO '
            'wishes_fts(rowid, title) VALUES (((coalesce(new.community_id, 0) << 32) | new.id), '
            'new.title); END',
            'CREATE TRIGGER IF NOT EXISTS wishes_fts_ad AFTER DELETE ON wishes BEGIN INSERT INTO '
            "wishes_fts(wishes_fts, rowid, title) VALUES ('delete', ((coalesce(old.community_id, "
            '0) << 32) | old.id), old.title); END',
            'CREATE TRIGGER IF NOT EXISTS wishes_fts_au AFTER UPDATE OF title, community_id ON '
            "wishes BEGIN INSERT INTO wishes_fts(wishes_fts, rowid, title) VALUES ('delete', "
            '((coalesce(old.community_id, 0) << 32) | old.id), old.title); INSERT INTO '
            'wishes_fts(rowid, title) VALUES (((coalesce(new.community_id, 0) << 32) | new.id), '
            'new.title); END',
            "CREATE VIRTUAL TABLE IF NOT EXISTS wishes_grams USING fts5(title, content='', "
            'tokenize="unicode61 remove_diacritics 0 categories \'L* M* N* P* S* Co\'")',
            "INSERT INTO wishes_grams(wishes_grams) VALUES ('delete-all')",
            'INSERT INTO wishes_grams(rowid, title) SELECT ((coalesce(community_id, 0) << 32) | '
            "id), coalesce(substr(title, 1, 1) || ' ' || substr(title, 2, 1) || ' ' || "
            "substr(title, 3, 1) || ' ' || substr(title, 4, 1) || ' ' || substr(title, 5, 1) || "
            "' ' || substr(title, 6, 1) || ' ' || substr(title, 7, 1) || ' ' || substr(title, 8, "
            "1) || ' ' || substr(title, 9, 1) || ' ' || substr(title, 10, 1) || ' ' || "
            "substr(title, 11, 1) || ' ' || substr(title, 12, 1) || ' ' || substr(title, 13, 1) "
            "|| ' ' || substr(title, 14, 1) || ' ' || substr(title, 15, 1) || ' ' || "
            "substr(title, 16, 1) || ' ' || substr(title, 17, 1) || ' ' || substr(title, 18, 1) "
            "|| ' ' || substr(title, 19, 1) || ' ' || substr(title, 20, 1) || ' ' || "
            "substr(title, 21, 1) || ' ' || substr(title, 22, 1) || ' ' || substr(title, 23, 1) "
            "|| ' ' || substr(title, 24, 1) || ' ' || substr(title, 25, 1) || ' ' || "
            "substr(title, 26, 1) || ' ' || substr(title, 27, 1) || ' ' || substr(title, 28, 1) "
            "|| ' ' || substr(title, 29, 1) || ' ' || substr(title, 30, 1) || ' ' || "
            "substr(title, 31, 1) || ' ' || substr(title, 32, 1) || ' ' || substr(title, 33, 1) "
            "|| ' ' || substr(title, 34, 1) || ' ' || substr(title, 35, 1) || ' ' || "
            "substr(title, 36, 1) || ' ' || substr(title, 37, 1) || ' ' || substr(title, 38, 1) "
            "|| ' ' || substr(title, 39, 1) || ' ' || substr(title, 40, 1) || ' ' || "
            "substr(title, 41, 1) || ' ' || substr(title, 42, 1) || ' ' || substr(title, 43, 1) "
            "|| ' ' || substr(title, 44, 1) || ' ' || substr(title, 45, 1) || ' ' || "
            "substr(title, 46, 1) || ' ' || substr(title, 47, 1) || ' ' || substr(title, 48, 1) "
            "|| ' ' || substr(title, 49, 1) || ' ' || substr(title, 50, 1) || ' ' || "
            "substr(title, 51, 1) || ' ' || substr(title, 52, 1) || ' ' || substr(title, 53, 1) "
            "|| ' ' || substr(title, 54, 1) || ' ' || substr(title, 55, 1) || ' ' || "
            "substr(title, 56, 1) || ' ' || substr(title, 57, 1) || ' ' || substr(title, 58, 1) "
            "|| ' ' || substr(title, 59, 1) || ' ' || substr(title, 60, 1) || ' ' || "
            "substr(title, 1, 2) || ' ' || substr(title, 2, 2) || ' ' || substr(title, 3, 2) || "
            "' ' || substr(title, 4, 2) || ' ' || substr(title, 5, 2) || ' ' || substr(title, 6, "
            "2) || ' ' || substr(title, 7, 2) || ' ' || substr(title, 8, 2) || ' ' || "
            "substr(title, 9, 2) || ' ' || substr(title, 10, 2) || ' ' || substr(title, 11, 2) "
            "|| ' ' || substr(title, 12, 2) || ' ' || substr(title, 13, 2) || ' ' || "
            "substr(title, 14, 2) || ' ' || substr(title, 15, 2) || ' ' || substr(title, 16, 2) "
            "|| ' ' || substr(title, 17, 2) || ' ' || substr(title, 18, 2) || ' ' || "
            "substr(title, 19, 2) || ' ' || substr(title, 20, 2) || ' ' || substr(title, 21, 2) "
            "|| ' ' || substr(title, 22, 2) || ' ' || substr(title, 23, 2) || ' ' || "
            "substr(title, 24, 2) || ' ' || substr(title, 25, 2) || ' ' || substr(title, 26, 2) "
            "|| ' ' || substr(title, 27, 2) || ' ' || substr(title, 28, 2) || ' ' || "
            "substr(title, 29, 2) || ' ' || substr(title, 30, 2) || ' ' || substr(title, 31, 2) "
            "|| ' ' || substr(title, 32, 2) || ' ' || substr(title, 33, 2) || ' ' || "
            "substr(title, 34, 2) || ' ' || substr(title, 35, 2) || ' ' || substr(title, 36, 2) "
            "|| ' ' || substr(title, 37, 2) || ' ' || substr(title, 38, 2) || ' ' || "
            "substr(title, 39, 2) || ' ' || substr(title, 40, 2) || ' ' || substr(title, 41, 2) "
            "|| ' ' || substr(title, 42, 2) || ' ' || substr(title, 43, 2) || ' ' || "
            "substr(title, 44, 2) || ' ' || substr(title, 45, 2) || ' ' || substr(title, 46, 2) "
            "|| ' ' || substr(title, 47, 2) || ' ' || substr(title, 48, 2) || ' ' || "
            "substr(title, 49, 2) || ' ' || substr(title, 50, 2) || ' ' || substr(title, 51, 2) "
            "|| ' ' || substr(title, 52, 2) || ' ' || substr(title, 53, 2) || ' ' || "
            "substr(title, 54, 2) || ' ' || substr(title, 55, 2) || ' ' || substr(title, 56, 2) "
            "|| ' ' || substr(title, 57, 2) || ' ' || substr(title, 58, 2) || ' ' || "
            "substr(title, 59, 2), '') FROM wishes",
            'CREATE TRIGGER IF NOT EXISTS wishes_grams_ai AFTER INSERT ON wishes BEGIN SELECT '
            "RAISE(ABORT, 'wishes.title is longer than 60') WHERE length(new.title) > 60; INSERT "
            'INTO wishes_grams(rowid, title) VALUES (((coalesce(new.community_id, 0) << 32) | '
            "new.id), coalesce(substr(new.title, 1, 1) || ' ' || substr(new.title, 2, 1) || ' ' "
            "|| substr(new.title, 3, 1) || ' ' || substr(new.title, 4, 1) || ' ' || "
            "substr(new.title, 5, 1) || ' ' || substr(new.title, 6, 1) || ' ' || "
            "substr(new.title, 7, 1) || ' ' || substr(new.title, 8, 1) || ' ' || "
            "substr(new.title, 9, 1) || ' ' || substr(new.title, 10, 1) || ' ' || "
            "substr(new.title, 11, 1) || ' ' || substr(new.title, 12, 1) || ' ' || "
            "substr(new.title, 13, 1) || ' ' || substr(new.title, 14, 1) || ' ' || "
            "substr(new.title, 15, 1) || ' ' || substr(new.title, 16, 1) || ' ' || "
            "substr(new.title, 17, 1) || ' ' || substr(new.title, 18, 1) || ' ' || "
            "substr(new.title, 19, 1) || ' ' || substr(new.title, 20, 1) || ' ' || "
            "substr(new.title, 21, 1) || ' ' || substr(new.title, 22, 1) || ' ' || "
            "substr(new.title, 23, 1) || ' ' || substr(new.title, 24, 1) || ' ' || "
            "substr(new.title, 25, 1) || ' ' || substr(new.title, 26, 1) || ' ' || "
            "substr(new.title, 27, 1) || ' ' || substr(new.title, 28, 1) || ' ' || "
            "substr(new.title, 29, 1) || ' ' || substr(new.title, 30, 1) || ' ' || "
            "substr(new.title, 31, 1) || ' ' || substr(new.title, 32, 1) || ' ' || "
            "substr(new.title, 33, 1) || ' ' || substr(new.title, 34, 1) || ' ' || "
            "substr(new.title, 35, 1) || ' ' || substr(new.title, 36, 1) || ' ' || "
            "substr(new.title, 37, 1) || ' ' || substr(new.title, 38, 1) || ' ' || "
            "substr(new.title, 39, 1) || ' ' || substr(new.title, 40, 1) || ' ' || "
            "substr(new.title, 41, 1) || ' ' || substr(new.title, 42, 1) || ' ' || "
            "substr(new.title, 43, 1) || ' ' || substr(new.title, 44, 1) || ' ' || "
            "substr(new.title, 45, 1) || ' ' || substr(new.title, 46, 1) || ' ' || "
            "substr(new.title, 47, 1) || ' ' || substr(new.title, 48, 1) || ' ' || "
            "substr(new.title, 49, 1) || ' ' || substr(new.title, 50, 1) || ' ' || "
            "substr(new.title, 51, 1) || ' ' || substr(new.title, 52, 1) || ' ' || "
            "substr(new.title, 53, 1) || ' ' || substr(new.title, 54, 1) || ' ' || "
            "substr(new.title, 55, 1) || ' ' || substr(new.title, 56, 1) || ' ' || "
            "substr(new.title, 57, 1) || ' ' || substr(new.title, 58, 1) || ' ' || "
            "substr(new.title, 59, 1) || ' ' || substr(new.title, 60, 1) || ' ' || "
            "substr(new.title, 1, 2) || ' ' || substr(new.title, 2, 2) || ' ' || "
            "substr(new.title, 3, 2) || ' ' || substr(new.title, 4, 2) || ' ' || "
            "substr(new.title, 5, 2) || ' ' || substr(new.title, 6, 2) || ' ' || "
            "substr(new.title, 7, 2) || ' ' || substr(new.title, 8, 2) || ' ' || "
            "substr(new.title, 9, 2) || ' ' || substr(new.title, 10, 2) || ' ' || "
            "substr(new.title, 11, 2) || ' ' || substr(new.title, 12, 2) || ' ' || "
            "substr(new.title, 13, 2) || ' ' || substr(new.title, 14, 2) || ' ' || "
            "substr(new.title, 15, 2) || ' ' || substr(new.title, 16, 2) || ' ' || "
            "substr(new.title, 17, 2) || ' ' || substr(new.title, 18, 2) || ' ' || "
            "substr(new.title, 19, 2) || ' ' || substr(new.title, 20, 2) || ' ' || "
            "substr(new.title, 21, 2) || ' ' || substr(new.title, 22, 2) || ' ' || "
            "substr(new.title, 23, 2) || ' ' || substr(new.title, 24, 2) || ' ' || "
            "substr(new.title, 25, 2) || ' ' || substr(new.title, 26, 2) || ' ' || "
            "substr(new.title, 27, 2) || ' ' || substr(new.title, 28, 2) || ' ' || "
            "substr(new.title, 29, 2) || ' ' || substr(new.title, 30, 2) || ' ' || "
            "substr(new.title, 31, 2) || ' ' || substr(new.title, 32, 2) || ' ' || "
            "substr(new.title, 33, 2) || ' ' || substr(new.title, 34, 2) || ' ' || "
            "substr(new.title, 35, 2) || ' ' || substr(new.title, 36, 2) || ' ' || "
            "substr(new.title, 37, 2) || ' ' || substr(new.title, 38, 2) || ' ' || "
            "substr(new.title, 39, 2) || ' ' || substr(new.title, 40, 2) || ' ' || "
            "substr(new.title, 41, 2) || ' ' || substr(new.title, 42, 2) || ' ' || "
            "substr(new.title, 43, 2) || ' ' || substr(new.title, 44, 2) || ' ' || "
            "substr(new.title, 45, 2) || ' ' || substr(new.title, 46, 2) || ' ' || "
            "substr(new.title, 47, 2) || ' ' || substr(new.title, 48, 2) || ' ' || "
            "substr(new.title, 49, 2) || ' ' || substr(new.title, 50, 2) || ' ' || "
            "substr(new.title, 51, 2) || ' ' || substr(new.title, 52, 2) || ' ' || "
            "substr(new.title, 53, 2) || ' ' || substr(new.title, 54, 2) || ' ' || "
            "substr(new.title, 55, 2) || ' ' || substr(new.title, 56, 2) || ' ' || "
            "substr(new.title, 57, 2) || ' ' || substr(new.title, 58, 2) || ' ' || "
            "substr(new.title, 59, 2), '')); END",
            'CREATE TRIGGER IF NOT EXISTS wishes_grams_ad AFTER DELETE ON wishes BEGIN INSERT '
            "INTO wishes_grams(wishes_grams, rowid, title) VALUES ('delete', "
            '((coalesce(old.community_id, 0) << 32) | old.id), coalesce(substr(old.title, 1, 1) '
            "|| ' ' || substr(old.title, 2, 1) || ' ' || substr(old.title, 3, 1) || ' ' || "
            "substr(old.title, 4, 1) || ' ' || substr(old.title, 5, 1) || ' ' || "
            "substr(old.title, 6, 1) || ' ' || substr(old.title, 7, 1) || ' ' || "
            "substr(old.title, 8, 1) || ' ' || substr(old.title, 9, 1) || ' ' || "
            "substr(old.title, 10, 1) || ' ' || substr(old.title, 11, 1) || ' ' || "
            "substr(old.title, 12, 1) || ' ' || substr(old.title, 13, 1) || ' ' || "
            "substr(old.title, 14, 1) || ' ' || substr(old.title, 15, 1) || ' ' || "
            "substr(old.title, 16, 1) || ' ' || substr(old.title, 17, 1) || ' ' || "
            "substr(old.title, 18, 1) || ' ' || substr(old.title, 19, 1) || ' ' || "
            "substr(old.title, 20, 1) || ' ' || substr(old.title, 21, 1) || ' ' || "
            "substr(old.title, 22, 1) || ' ' || substr(old.title, 23, 1) || ' ' || "
            "substr(old.title, 24, 1) || ' ' || substr(old.title, 25, 1) || ' ' || "
            "substr(old.title, 26, 1) || ' ' || substr(old.title, 27, 1) || ' ' || "
            "substr(old.title, 28, 1) || ' ' || substr(old.title, 29, 1) || ' ' || "
            "substr(old.title, 30, 1) || ' ' || substr(old.title, 31, 1) || ' ' || "
            "substr(old.title, 32, 1) || ' ' || substr(old.title, 33, 1) || ' ' || "
            "substr(old.title, 34, 1) || ' ' || substr(old.title, 35, 1) || ' ' || "
            "substr(old.title, 36, 1) || ' ' || substr(old.title, 37, 1) || ' ' || "
            "substr(old.title, 38, 1) || ' ' || substr(old.title, 39, 1) || ' ' || "
            "substr(old.title, 40, 1) || ' ' || substr(old.title, 41, 1) || ' ' || "
            "substr(old.title, 42, 1) || ' ' || substr(old.title, 43, 1) || ' ' || "
            "substr(old.title, 44, 1) || ' ' || substr(old.title, 45, 1) || ' ' || "
            "substr(old.title, 46, 1) || ' ' || substr(old.title, 47, 1) || ' ' || "
            "substr(old.title, 48, 1) || ' ' || substr(old.title, 49, 1) || ' ' || "
            "substr(old.title, 50, 1) || ' ' || substr(old.title, 51, 1) || ' ' || "
            "substr(old.title, 52, 1) || ' ' || substr(old.title, 53, 1) || ' ' || "
            "substr(old.title, 54, 1) || ' ' || substr(old.title, 55, 1) || ' ' || "
            "substr(old.title, 56, 1) || ' ' || substr(old.title, 57, 1) || ' ' || "
            "substr(old.title, 58, 1) || ' ' || substr(old.title, 59, 1) || ' ' || "
            "substr(old.title, 60, 1) || ' ' || substr(old.title, 1, 2) || ' ' || "
            "substr(old.title, 2, 2) || ' ' || substr(old.title, 3, 2) || ' ' || "
            "substr(old.title, 4, 2) || ' ' || substr(old.title, 5, 2) || ' ' || "
            "substr(old.title, 6, 2) || ' ' || substr(old.title, 7, 2) || ' ' || "
            "substr(old.title, 8, 2) || ' ' || substr(old.title, 9, 2) || ' ' || "
            "substr(old.title, 10, 2) || ' ' || substr(old.title, 11, 2) || ' ' || "
            "substr(old.title, 12, 2) || ' ' || substr(old.title, 13, 2) || ' ' || "
            "substr(old.title, 14, 2) || ' ' || substr(old.title, 15, 2) || ' ' || "
            "substr(old.title, 16, 2) || ' ' || substr(old.title, 17, 2) || ' ' || "
            "substr(old.title, 18, 2) || ' ' || substr(old.title, 19, 2) || ' ' || "
            "substr(old.title, 20, 2) || ' ' || substr(old.title, 21, 2) || ' ' || "
            "substr(old.title, 22, 2) || ' ' || substr(old.title, 23, 2) || ' ' || "
            "substr(old.title, 24, 2) || ' ' || substr(old.title, 25, 2) || ' ' || "
            "substr(old.title, 26, 2) || ' ' || substr(old.title, 27, 2) || ' ' || "
            "substr(old.title, 28, 2) || ' ' || substr(old.title, 29, 2) || ' ' || "
            "substr(old.title, 30, 2) || ' ' || substr(old.title, 31, 2) || ' ' || "
            "substr(old.title, 32, 2) || ' ' || substr(old.title, 33, 2) || ' ' || "
            "substr(old.title, 34, 2) || ' ' || substr(old.title, 35, 2) || ' ' || "
            "substr(old.title, 36, 2) || ' ' || substr(old.title, 37, 2) || ' ' || "
            "substr(old.title, 38, 2) || ' ' || substr(old.title, 39, 2) || ' ' || "
            "substr(old.title, 40, 2) || ' ' || substr(old.title, 41, 2) || ' ' || "
            "substr(old.title, 42, 2) || ' ' || substr(old.title, 43, 2) || ' ' || "
            "substr(old.title, 44, 2) || ' ' || substr(old.title, 45, 2) || ' ' || "
            "substr(old.title, 46, 2) || ' ' || substr(old.title, 47, 2) || ' ' || "
            "substr(old.title, 48, 2) || ' ' || substr(old.title, 49, 2) || ' ' || "
            "substr(old.title, 50, 2) || ' ' || substr(old.title, 51, 2) || ' ' || "
            "substr(old.title, 52, 2) || ' ' || substr(old.title, 53, 2) || ' ' || "
            "substr(old.title, 54, 2) || ' ' || substr(old.title, 55, 2) || ' ' || "
            "substr(old.title, 56, 2) || ' ' || substr(old.title, 57, 2) || ' ' || "
            "substr(old.title, 58, 2) || ' ' || substr(old.title, 59, 2), '')); END",
            'CREATE TRIGGER IF NOT EXISTS wishes_grams_au AFTER UPDATE OF title, community_id ON '
            "wishes BEGIN SELECT RAISE(ABORT, 'wishes.title is longer than 60') WHERE "
            'length(new.title) > 60; INSERT INTO wishes_grams(wishes_grams, rowid, title) VALUES '
            "('delete', ((coalesce(old.community_id, 0) << 32) | old.id), "
            "coalesce(substr(old.title, 1, 1) || ' ' || substr(old.title, 2, 1) || ' ' || "
            "substr(old.title, 3, 1) || ' ' || substr(old.title, 4, 1) || ' ' || "
            "substr(old.title, 5, 1) || ' ' || substr(old.title, 6, 1) || ' ' || "
            "substr(old.title, 7, 1) || ' ' || substr(old.title, 8, 1) || ' ' || "
            "substr(old.title, 9, 1) || ' ' || substr(old.title, 10, 1) || ' ' || "
            "substr(old.title, 11, 1) || ' ' || substr(old.title, 12, 1) || ' ' || "
            "substr(old.title, 13, 1) || ' ' || substr(old.title, 14, 1) || ' ' || "
            "substr(old.title, 15, 1) || ' ' || substr(old.title, 16, 1) || ' ' || "
            "substr(old.title, 17, 1) || ' ' || substr(old.title, 18, 1) || ' ' || "
            "substr(old.title, 19, 1) || ' ' || substr(old.title, 20, 1) || ' ' || "
            "substr(old.title, 21, 1) || ' ' || substr(old.title, 22, 1) || ' ' || "
            "substr(old.title, 23, 1) || ' ' || substr(old.title, 24, 1) || ' ' || "
            "substr(old.title, 25, 1) || ' ' || substr(old.title, 26, 1) || ' ' || "
            "substr(old.title, 27, 1) || ' ' || substr(old.title, 28, 1) || ' ' || "
            "substr(old.title, 29, 1) || ' ' || substr(old.title, 30, 1) || ' ' || "
            "substr(old.title, 31, 1) || ' ' || substr(old.title, 32, 1) || ' ' || "
            "substr(old.title, 33, 1) || ' ' || substr(old.title, 34, 1) || ' ' || "
            "substr(old.title, 35, 1) || ' ' || substr(old.title, 36, 1) || ' ' || "
            "substr(old.title, 37, 1) || ' ' || substr(old.title, 38, 1) || ' ' || "
            "substr(old.title, 39, 1) || ' ' || substr(old.title, 40, 1) || ' ' || "
            "substr(old.title, 41, 1) || ' ' || substr(old.title, 42, 1) || ' ' || "
            "substr(old.title, 43, 1) || ' ' || substr(old.title, 44, 1) || ' ' || "
            "substr(old.title, 45, 1) || ' ' || substr(old.title, 46, 1) || ' ' || "
            "substr(old.title, 47, 1) || ' ' || substr(old.title, 48, 1) || ' ' || "
            "substr(old.title, 49, 1) || ' ' || substr(old.title, 50, 1) || ' ' || "
            "substr(old.title, 51, 1) || ' ' || substr(old.title, 52, 1) || ' ' || "
            "substr(old.title, 53, 1) || ' ' || substr(old.title, 54, 1) || ' ' || "
            "substr(old.title, 55, 1) || ' ' || substr(old.title, 56, 1) || ' ' || "
            "substr(old.title, 57, 1) || ' ' || substr(old.title, 58, 1) || ' ' || "
            "substr(old.title, 59, 1) || ' ' || substr(old.title, 60, 1) || ' ' || "
            "substr(old.title, 1, 2) || ' ' || substr(old.title, 2, 2) || ' ' || "
            "substr(old.title, 3, 2) || ' ' || substr(old.title, 4, 2) || ' ' || "
            "substr(old.title, 5, 2) || ' ' || substr(old.title, 6, 2) || ' ' || "
            "substr(old.title, 7, 2) || ' ' || substr(old.title, 8, 2) || ' ' || "
            "substr(old.title, 9, 2) || ' ' || substr(old.title, 10, 2) || ' ' || "
            "substr(old.title, 11, 2) || ' ' || substr(old.title, 12, 2) || ' ' || "
            "substr(old.title, 13, 2) || ' ' || substr(old.title, 14, 2) || ' ' || "
            "substr(old.title, 15, 2) || ' ' || substr(old.title, 16, 2) || ' ' || "
            "substr(old.title, 17, 2) || ' ' || substr(old.title, 18, 2) || ' ' || "
            "substr(old.title, 19, 2) || ' ' || substr(old.title, 20, 2) || ' ' || "
            "substr(old.title, 21, 2) || ' ' || substr(old.title, 22, 2) || ' ' || "
            "substr(old.title, 23, 2) || ' ' || substr(old.title, 24, 2) || ' ' || "
            "substr(old.title, 25, 2) || ' ' || substr(old.title, 26, 2) || ' ' || "
            "substr(old.title, 27, 2) || ' ' || substr(old.title, 28, 2) || ' ' || "
            "substr(old.title, 29, 2) || ' ' || substr(old.title, 30, 2) || ' ' || "
            "substr(old.title, 31, 2) || ' ' || substr(old.title, 32, 2) || ' ' || "
            "substr(old.title, 33, 2) || ' ' || substr(old.title, 34, 2) || ' ' || "
            "substr(old.title, 35, 2) || ' ' || substr(old.title, 36, 2) || ' ' || "
            "substr(old.title, 37, 2) || ' ' || substr(old.title, 38, 2) || ' ' || "
            "substr(old.title, 39, 2) || ' ' || substr(old.title, 40, 2) || ' ' || "
            "substr(old.title, 41, 2) || ' ' || substr(old.title, 42, 2) || ' ' || "
            "substr(old.title, 43, 2) || ' ' || substr(old.title, 44, 2) || ' ' || "
            "substr(old.title, 45, 2) || ' ' || substr(old.title, 46, 2) || ' ' || "
            "substr(old.title, 47, 2) || ' ' || substr(old.title, 48, 2) || ' ' || "
            "substr(old.title, 49, 2) || ' ' || substr(old.title, 50, 2) || ' ' || "
            "substr(old.title, 51, 2) || ' ' || substr(old.title, 52, 2) || ' ' || "
            "substr(old.title, 53, 2) || ' ' || substr(old.title, 54, 2) || ' ' || "
            "substr(old.title, 55, 2) || ' ' || substr(old.title, 56, 2) || ' ' || "
            "substr(old.title, 57, 2) || ' ' || substr(old.title, 58, 2) || ' ' || "
            "substr(old.title, 59, 2), '')); INSERT INTO wishes_grams(rowid, title) VALUES "
            '(((coalesce(new.community_id, 0) << 32) | new.id), coalesce(substr(new.title, 1, 1) '
            "|| ' ' || substr(new.title, 2, 1) || ' ' || substr(new.title, 3, 1) || ' ' || "
            "substr(new.title, 4, 1) || ' ' || substr(new.title, 5, 1) || ' ' || "
            "substr(new.title, 6, 1) || ' ' || substr(new.title, 7, 1) || ' ' || "
            "substr(new.title, 8, 1) || ' ' || substr(new.title, 9, 1) || ' ' || "
            "substr(new.title, 10, 1) || ' ' || substr(new.title, 11, 1) || ' ' || "
            "substr(new.title, 12, 1) || ' ' || substr(new.title, 13, 1) || ' ' || "
            "substr(new.title, 14, 1) || ' ' || substr(new.title, 15, 1) || ' ' || "
            "substr(new.title, 16, 1) || ' ' || substr(new.title, 17, 1) || ' ' || "
            "substr(new.title, 18, 1) || ' ' || substr(new.title, 19, 1) || ' ' || "
            "substr(new.title, 20, 1) || ' ' || substr(new.title, 21, 1) || ' ' || "
            "substr(new.title, 22, 1) || ' ' || substr(new.title, 23, 1) || ' ' || "
            "substr(new.title, 24, 1) || ' ' || substr(new.title, 25, 1) || ' ' || "
            "substr(new.title, 26, 1) || ' ' || substr(new.title, 27, 1) || ' ' || "
            "substr(new.title, 28, 1) || ' ' || substr(new.title, 29, 1) || ' ' || "
            "substr(new.title, 30, 1) || ' ' || substr(new.title, 31, 1) || ' ' || "
            "substr(new.title, 32, 1) || ' ' || substr(new.title, 33, 1) || ' ' || "
            "substr(new.title, 34, 1) || ' ' || substr(new.title, 35, 1) || ' ' || "
            "substr(new.title, 36, 1) || ' ' || substr(new.title, 37, 1) || ' ' || "
            "substr(new.title, 38, 1) || ' ' || substr(new.title, 39, 1) || ' ' || "
            "substr(new.title, 40, 1) || ' ' || substr(new.title, 41, 1) || ' ' || "
            "substr(new.title, 42, 1) || ' ' || substr(new.title, 43, 1) || ' ' || "
            "substr(new.title, 44, 1) || ' ' || substr(new.title, 45, 1) || ' ' || "
            "substr(new.title, 46, 1) || ' ' || substr(new.title, 47, 1) || ' ' || "
            "substr(new.title, 48, 1) || ' ' || substr(new.title, 49, 1) || ' ' || "
            "substr(new.title, 50, 1) || ' ' || substr(new.title, 51, 1) || ' ' || "
            "substr(new.title, 52, 1) || ' ' || substr(new.title, 53, 1) || ' ' || "
            "substr(new.title, 54, 1) || ' ' || substr(new.title, 55, 1) || ' ' || "
            "substr(new.title, 56, 1) || ' ' || substr(new.title, 57, 1) || ' ' || "
            "substr(new.title, 58, 1) || ' ' || substr(new.title, 59, 1) || ' ' || "
            "substr(new.title, 60, 1) || ' ' || substr(new.title, 1, 2) || ' ' || "
            "substr(new.title, 2, 2) || ' ' || substr(new.title, 3, 2) || ' ' || "
            "substr(new.title, 4, 2) || ' ' || substr(new.title, 5, 2) || ' ' || "
            "substr(new.title, 6, 2) || ' ' || substr(new.title, 7, 2) || ' ' || "
            "substr(new.title, 8, 2) || ' ' || substr(new.title, 9, 2) || ' ' || "
            "substr(new.title, 10, 2) || ' ' || substr(new.title, 11, 2) || ' ' || "
            "substr(new.title, 12, 2) || ' ' || substr(new.title, 13, 2) || ' ' || "
            "substr(new.title, 14, 2) || ' ' || substr(new.title, 15, 2) || ' ' || "
            "substr(new.title, 16, 2) || ' ' || substr(new.title, 17, 2) || ' ' || "
            "substr(new.title, 18, 2) || ' ' || substr(new.title, 19, 2) || ' ' || "
            "substr(new.title, 20, 2) || ' ' || substr(new.title, 21, 2) || ' ' || "
            "substr(new.title, 22, 2) || ' ' || substr(new.title, 23, 2) || ' ' || "
            "substr(new.title, 24, 2) || ' ' || substr(new.title, 25, 2) || ' ' || "
            "substr(new.title, 26, 2) || ' ' || substr(new.title, 27, 2) || ' ' || "
            "substr(new.title, 28, 2) || ' ' || substr(new.title, 29, 2) || ' ' || "
            "substr(new.title, 30, 2) || ' ' || substr(new.title, 31, 2) || ' ' || "
            "substr(new.title, 32, 2) || ' ' || substr(new.title, 33, 2) || ' ' || "
            "substr(new.title, 34, 2) || ' ' || substr(new.title, 35, 2) || ' ' || "
            "substr(new.title, 36, 2) || ' ' || substr(new.title, 37, 2) || ' ' || "
            "substr(new.title, 38, 2) || ' ' || substr(new.title, 39, 2) || ' ' || "
            "substr(new.title, 40, 2) || ' ' || substr(new.title, 41, 2) || ' ' || "
            "substr(new.title, 42, 2) || ' ' || substr(new.title, 43, 2) || ' ' || "
            "substr(new.title, 44, 2) || ' ' || substr(new.title, 45, 2) || ' ' || "
            "substr(new.title, 46, 2) || ' ' || substr(new.title, 47, 2) || ' ' || "
            "substr(new.title, 48, 2) || ' ' || substr(new.title, 49, 2) || ' ' || "
            "substr(new.title, 50, 2) || ' ' || substr(new.title, 51, 2) || ' ' || "
            "substr(new.title, 52, 2) || ' ' || substr(new.title, 53, 2) || ' ' || "
            "substr(new.title, 54, 2) || ' ' || substr(new.title, 55, 2) || ' ' || "
            "substr(new.title, 56, 2) || ' ' || substr(new.title, 57, 2) || ' ' || "
            "substr(new.title, 58, 2) || ' ' || substr(new.title, 59, 2), '')); END",
            "CREATE VIRTUAL TABLE IF NOT EXISTS orgs_fts USING fts5(name, content='orgs', "
            "content_rowid='id', tokenize='trigram')",
            "INSERT INTO orgs_fts(orgs_fts) VALUES ('rebuild')",
            'CREATE TRIGGER IF NOT EXISTS orgs_fts_ai AFTER INSERT ON orgs BEGIN INSERT INTO '
            'orgs_fts(rowid, name) VALUES (new.id, new.name); END',
            'CREATE TRIGGER IF NOT EXISTS orgs_fts_ad AFTER DELETE ON orgs BEGIN INSERT INTO '
            "orgs_fts(orgs_fts, rowid, name) VALUES ('delete', old.id, old.name); END",
            'CREATE TRIGGER IF NOT EXISTS orgs_fts_au AFTER UPDATE OF name ON orgs BEGIN INSERT '
            "INTO orgs_fts(orgs_fts, rowid, name) VALUES ('delete', old.id, old.name); INSERT "
            'INTO orgs_fts(rowid, name) VALUES (new.id, new.name); END',
            "CREATE VIRTUAL TABLE IF NOT EXISTS orgs_grams USING fts5(name, content='', "
            'tokenize="unicode61 remove_diacritics 0 categories \'L* M* N* P* S* Co\'")',
            "INSERT INTO orgs_grams(orgs_grams) VALUES ('delete-all')",
            "INSERT INTO orgs_grams(rowid, name) SELECT id, coalesce(substr(name, 1, 1) || ' ' "
            "|| substr(name, 2, 1) || ' ' || substr(name, 3, 1) || ' ' || substr(name, 4, 1) || "
            "' ' || substr(name, 5, 1) || ' ' || substr(name, 6, 1) || ' ' || substr(name, 7, 1) "
            "|| ' ' || substr(name, 8, 1) || ' ' || substr(name, 9, 1) || ' ' || substr(name, "
            "10, 1) || ' ' || substr(name, 11, 1) || ' ' || substr(name, 12, 1) || ' ' || "
            "substr(name, 13, 1) || ' ' || substr(name, 14, 1) || ' ' || substr(name, 15, 1) || "
            "' ' || substr(name, 16, 1) || ' ' || substr(name, 17, 1) || ' ' || substr(name, 18, "
            "1) || ' ' || substr(name, 19, 1) || ' ' || substr(name, 20, 1) || ' ' || "
            "substr(name, 21, 1) || ' ' || substr(name, 22, 1) || ' ' || substr(name, 23, 1) || "
            "' ' || substr(name, 24, 1) || ' ' || substr(name, 25, 1) || ' ' || substr(name, 26, "
            "1) || ' ' || substr(name, 27, 1) || ' ' || substr(name, 28, 1) || ' ' || "
            "substr(name, 29, 1) || ' ' || substr(name, 30, 1) || ' ' || substr(name, 31, 1) || "
            "' ' || substr(name, 32, 1) || ' ' || substr(name, 33, 1) || ' ' || substr(name, 34, "
            "1) || ' ' || substr(name, 35, 1) || ' ' || substr(name, 36, 1) || ' ' || "
            "substr(name, 37, 1) || ' ' || substr(name, 38, 1) || ' ' || substr(name, 39, 1) || "
            "' ' || substr(name, 40, 1) || ' ' || substr(name, 41, 1) || ' ' || substr(name, 42, "
            "1) || ' ' || substr(name, 43, 1) || ' ' || substr(name, 44, 1) || ' ' || "
            "substr(name, 45, 1) || ' ' || substr(name, 46, 1) || ' ' || substr(name, 47, 1) || "
            "' ' || substr(name, 48, 1) || ' ' || substr(name, 49, 1) || ' ' || substr(name, 50, "
            "1) || ' ' || substr(name, 51, 1) || ' ' || substr(name, 52, 1) || ' ' || "
            "substr(name, 53, 1) || ' ' || substr(name, 54, 1) || ' ' || substr(name, 55, 1) || "
            "' ' || substr(name, 56, 1) || ' ' || substr(name, 57, 1) || ' ' || substr(name, 58, "
            "1) || ' ' || substr(name, 59, 1) || ' ' || substr(name, 60, 1) || ' ' || "
            "substr(name, 61, 1) || ' ' || substr(name, 62, 1) || ' ' || substr(name, 63, 1) || "
            "' ' || substr(name, 64, 1) || ' ' || substr(name, 65, 1) || ' ' || substr(name, 66, "
            "1) || ' ' || substr(name, 67, 1) || ' ' || substr(name, 68, 1) || ' ' || "
            "substr(name, 69, 1) || ' ' || substr(name, 70, 1) || ' ' || substr(name, 71, 1) || "
            "' ' || substr(name, 72, 1) || ' ' || substr(name, 73, 1) || ' ' || substr(name, 74, "
            "1) || ' ' || substr(name, 75, 1) || ' ' || substr(name, 76, 1) || ' ' || "
            "substr(name, 77, 1) || ' ' || substr(name, 78, 1) || ' ' || substr(name, 79, 1) || "
            "' ' || substr(name, 80, 1) || ' ' || substr(name, 1, 2) || ' ' || substr(name, 2, "
            "2) || ' ' || substr(name, 3, 2) || ' ' || substr(name, 4, 2) || ' ' || substr(name, "
            "5, 2) || ' ' || substr(name, 6, 2) || ' ' || substr(name, 7, 2) || ' ' || "
            "substr(name, 8, 2) || ' ' || substr(name, 9, 2) || ' ' || substr(name, 10, 2) || ' "
            "' || substr(name, 11, 2) || ' ' || substr(name, 12, 2) || ' ' || substr(name, 13, "
            "2) || ' ' || substr(name, 14, 2) || ' ' || substr(name, 15, 2) || ' ' || "
            "substr(name, 16, 2) || ' ' || substr(name, 17, 2) || ' ' || substr(name, 18, 2) || "
            "' ' || substr(name, 19, 2) || ' ' || substr(name, 20, 2) || ' ' || substr(name, 21, "
            "2) || ' ' || substr(name, 22, 2) || ' ' || substr(name, 23, 2) || ' ' || "
            "substr(name, 24, 2) || ' ' || substr(name, 25, 2) || ' ' || substr(name, 26, 2) || "
            "' ' || substr(name, 27, 2) || ' ' || substr(name, 28, 2) || ' ' || substr(name, 29, "
            "2) || ' ' || substr(name, 30, 2) || ' ' || substr(name, 31, 2) || ' ' || "
            "substr(name, 32, 2) || ' ' || substr(name, 33, 2) || ' ' || substr(name, 34, 2) || "
            "' ' || substr(name, 35, 2) || ' ' || substr(name, 36, 2) || ' ' || substr(name, 37, "
            "2) || ' ' || substr(name, 38, 2) || ' ' || substr(name, 39, 2) || ' ' || "
            "substr(name, 40, 2) || ' ' || substr(name, 41, 2) || ' ' || substr(name, 42, 2) || "
            "' ' || substr(name, 43, 2) || ' ' || substr(name, 44, 2) || ' ' || substr(name, 45, "
            "2) || ' ' || substr(name, 46, 2) || ' ' || substr(name, 47, 2) || ' ' || "
            "substr(name, 48, 2) || ' ' || substr(name, 49, 2) || ' ' || substr(name, 50, 2) || "
            "' ' || substr(name, 51, 2) || ' ' || substr(name, 52, 2) || ' ' || substr(name, 53, "
            "2) || ' ' || substr(name, 54, 2) || ' ' || substr(name, 55, 2) || ' ' || "
            "substr(name, 56, 2) || ' ' || substr(name, 57, 2) || ' ' || substr(name, 58, 2) || "
            "' ' || substr(name, 59, 2) || ' ' || substr(name, 60, 2) || ' ' || substr(name, 61, "
            "2) || ' ' || substr(name, 62, 2) || ' ' || substr(name, 63, 2) || ' ' || "
            "substr(name, 64, 2) || ' ' || substr(name, 65, 2) || ' ' || substr(name, 66, 2) || "
            "' ' || substr(name, 67, 2) || ' ' || substr(name, 68, 2) || ' ' || substr(name, 69, "
            "2) || ' ' || substr(name, 70, 2) || ' ' || substr(name, 71, 2) || ' ' || "
            "substr(name, 72, 2) || ' ' || substr(name, 73, 2) || ' ' || substr(name, 74, 2) || "
            "' ' || substr(name, 75, 2) || ' ' || substr(name, 76, 2) || ' ' || substr(name, 77, "
            "2) || ' ' || substr(name, 78, 2) || ' ' || substr(name, 79, 2), '') FROM orgs",
            'CREATE TRIGGER IF NOT EXISTS orgs_grams_ai AFTER INSERT ON orgs BEGIN SELECT '
            "RAISE(ABORT, 'orgs.name is longer than 80') WHERE length(new.name) > 80; INSERT "
            "INTO orgs_grams(rowid, name) VALUES (new.id, coalesce(substr(new.name, 1, 1) || ' ' "
            "|| substr(new.name, 2, 1) || ' ' || substr(new.name, 3, 1) || ' ' || "
            "substr(new.name, 4, 1) || ' ' || substr(new.name, 5, 1) || ' ' || substr(new.name, "
            "6, 1) || ' ' || substr(new.name, 7, 1) || ' ' || substr(new.name, 8, 1) || ' ' || "
            "substr(new.name, 9, 1) || ' ' || substr(new.name, 10, 1) || ' ' || substr(new.name, "
            "11, 1) || ' ' || substr(new.name, 12, 1) || ' ' || substr(new.name, 13, 1) || ' ' "
            "|| substr(new.name, 14, 1) || ' ' || substr(new.name, 15, 1) || ' ' || "
            "substr(new.name, 16, 1) || ' ' || substr(new.name, 17, 1) || ' ' || "
            "substr(new.name, 18, 1) || ' ' || substr(new.name, 19, 1) || ' ' || "
            "substr(new.name, 20, 1) || ' ' || substr(new.name, 21, 1) || ' ' || "
            "substr(new.name, 22, 1) || ' ' || substr(new.name, 23, 1) || ' ' || "
            "substr(new.name, 24, 1) || ' ' || substr(new.name, 25, 1) || ' ' || "
            "substr(new.name, 26, 1) || ' ' || substr(new.name, 27, 1) || ' ' || "
            "substr(new.name, 28, 1) || ' ' || substr(new.name, 29, 1) || ' ' || "
            "substr(new.name, 30, 1) || ' ' || substr(new.name, 31, 1) || ' ' || "
            "substr(new.name, 32, 1) || ' ' || substr(new.name, 33, 1) || ' ' || "
            "substr(new.name, 34, 1) || ' ' || substr(new.name, 35, 1) || ' ' || "
            "substr(new.name, 36, 1) || ' ' || substr(new.name, 37, 1) || ' ' || "
            "substr(new.name, 38, 1) || ' ' || substr(new.name, 39, 1) || ' ' || "
            "substr(new.name, 40, 1) || ' ' || substr(new.name, 41, 1) || ' ' || "
            "substr(new.name, 42, 1) || ' ' || substr(new.name, 43, 1) || ' ' || "
            "substr(new.name, 44, 1) || ' ' || substr(new.name, 45, 1) || ' ' || "
            "substr(new.name, 46, 1) || ' ' || substr(new.name, 47, 1) || ' ' || "
            "substr(new.name, 48, 1) || ' ' || substr(new.name, 49, 1) || ' ' || "
            "substr(new.name, 50, 1) || ' ' || substr(new.name, 51, 1) || ' ' || "
            "substr(new.name, 52, 1) || ' ' || substr(new.name, 53, 1) || ' ' || "
            "substr(new.name, 54, 1) || ' ' || substr(new.name, 55, 1) || ' ' || "
            "substr(new.name, 56, 1) || ' ' || substr(new.name, 57, 1) || ' ' || "
            "substr(new.name, 58, 1) || ' ' || substr(new.name, 59, 1) || ' ' || "
            "substr(new.name, 60, 1) || ' ' || substr(new.name, 61, 1) || ' ' || "
            "substr(new.name, 62, 1) || ' ' || substr(new.name, 63, 1) || ' ' || "
            "substr(new.name, 64, 1) || ' ' || substr(new.name, 65, 1) || ' ' || "
            "substr(new.name, 66, 1) || ' ' || substr(new.name, 67, 1) || ' ' || "
            "substr(new.name, 68, 1) || ' ' || substr(new.name, 69, 1) || ' ' || "
            "substr(new.name, 70, 1) || ' ' || substr(new.name, 71, 1) || ' ' || "
            "substr(new.name, 72, 1) || ' ' || substr(new.name, 73, 1) || ' ' || "
            "substr(new.name, 74, 1) || ' ' || substr(new.name, 75, 1) || ' ' || "
            "substr(new.name, 76, 1) || ' ' || substr(new.name, 77, 1) || ' ' || "
            "substr(new.name, 78, 1) || ' ' || substr(new.name, 79, 1) || ' ' || "
            "substr(new.name, 80, 1) || ' ' || substr(new.name, 1, 2) || ' ' || substr(new.name, "
            "2, 2) || ' ' || substr(new.name, 3, 2) || ' ' || substr(new.name, 4, 2) || ' ' || "
            "substr(new.name, 5, 2) || ' ' || substr(new.name, 6, 2) || ' ' || substr(new.name, "
            "7, 2) || ' ' || substr(new.name, 8, 2) || ' ' || substr(new.name, 9, 2) || ' ' || "
            "substr(new.name, 10, 2) || ' ' || substr(new.name, 11, 2) || ' ' || "
            "substr(new.name, 12, 2) || ' ' || substr(new.name, 13, 2) || ' ' || "
            "substr(new.name, 14, 2) || ' ' || substr(new.name, 15, 2) || ' ' || "
            "substr(new.name, 16, 2) || ' ' || substr(new.name, 17, 2) || ' ' || "
            "substr(new.name, 18, 2) || ' ' || substr(new.name, 19, 2) || ' ' || "
            "substr(new.name, 20, 2) || ' ' || substr(new.name, 21, 2) || ' ' || "
            "substr(new.name, 22, 2) || ' ' || substr(new.name, 23, 2) || ' ' || "
            "substr(new.name, 24, 2) || ' ' || substr(new.name, 25, 2) || ' ' || "
            "substr(new.name, 26, 2) || ' ' || substr(new.name, 27, 2) || ' ' || "
            "substr(new.name, 28, 2) || ' ' || substr(new.name, 29, 2) || ' ' || "
            "substr(new.name, 30, 2) || ' ' || substr(new.name, 31, 2) || ' ' || "
            "substr(new.name, 32, 2) || ' ' || substr(new.name, 33, 2) || ' ' || "
            "substr(new.name, 34, 2) || ' ' || substr(new.name, 35, 2) || ' ' || "
            "substr(new.name, 36, 2) || ' ' || substr(new.name, 37, 2) || ' ' || "
            "substr(new.name, 38, 2) || ' ' || substr(new.name, 39, 2) || ' ' || "
            "substr(new.name, 40, 2) || ' ' || substr(new.name, 41, 2) || ' ' || "
            "substr(new.name, 42, 2) || ' ' || substr(new.name, 43, 2) || ' ' || "
            "substr(new.name, 44, 2) || ' ' || substr(new.name, 45, 2) || ' ' || "
            "substr(new.name, 46, 2) || ' ' || substr(new.name, 47, 2) || ' ' || "
            "substr(new.name, 48, 2) || ' ' || substr(new.name, 49, 2) || ' ' || "
            "substr(new.name, 50, 2) || ' ' || substr(new.name, 51, 2) || ' ' || "
            "substr(new.name, 52, 2) || ' ' || substr(new.name, 53, 2) || ' ' || "
            "substr(new.name, 54, 2) || ' ' || substr(new.name, 55, 2) || ' ' || "
            "substr(new.name, 56, 2) || ' ' || substr(new.name, 57, 2) || ' ' || "
            "substr(new.name, 58, 2) || ' ' || substr(new.name, 59, 2) || ' ' || "
            "substr(new.name, 60, 2) || ' ' || substr(new.name, 61, 2) || ' ' || "
            "substr(new.name, 62, 2) || ' ' || substr(new.name, 63, 2) || ' ' || "
            "substr(new.name, 64, 2) || ' ' || substr(new.name, 65, 2) || ' ' || "
            "substr(new.name, 66, 2) || ' ' || substr(new.name, 67, 2) || ' ' || "
            "substr(new.name, 68, 2) || ' ' || substr(new.name, 69, 2) || ' ' || "
            "substr(new.name, 70, 2) || ' ' || substr(new.name, 71, 2) || ' ' || "
            "substr(new.name, 72, 2) || ' ' || substr(new.name, 73, 2) || ' ' || "
            "substr(new.name, 74, 2) || ' ' || substr(new.name, 75, 2) || ' ' || "
            "substr(new.name, 76, 2) || ' ' || substr(new.name, 77, 2) || ' ' || "
            "substr(new.name, 78, 2) || ' ' || substr(new.name, 79, 2), '')); END",
            'CREATE TRIGGER IF NOT EXISTS orgs_grams_ad AFTER DELETE ON orgs BEGIN INSERT INTO '
            "orgs_grams(orgs_grams, rowid, name) VALUES ('delete', old.id, "
            "coalesce(substr(old.name, 1, 1) || ' ' || substr(old.name, 2, 1) || ' ' || "
            "substr(old.name, 3, 1) || ' ' || substr(old.name, 4, 1) || ' ' || substr(old.name, "
            "5, 1) || ' ' || substr(old.name, 6, 1) || ' ' || substr(old.name, 7, 1) || ' ' || "
            "substr(old.name, 8, 1) || ' ' || substr(old.name, 9, 1) || ' ' || substr(old.name, "
            "10, 1) || ' ' || substr(old.name, 11, 1) || ' ' || substr(old.name, 12, 1) || ' ' "
            "|| substr(old.name, 13, 1) || ' ' || substr(old.name, 14, 1) || ' ' || "
            "substr(old.name, 15, 1) || ' ' || substr(old.name, 16, 1) || ' ' || "
            "substr(old.name, 17, 1) || ' ' || substr(old.name, 18, 1) || ' ' || "
            "substr(old.name, 19, 1) || ' ' || substr(old.name, 20, 1) || ' ' || "
            "substr(old.name, 21, 1) || ' ' || substr(old.name, 22, 1) || ' ' || "
            "substr(old.name, 23, 1) || ' ' || substr(old.name, 24, 1) || ' ' || "
            "substr(old.name, 25, 1) || ' ' || substr(old.name, 26, 1) || ' ' || "
            "substr(old.name, 27, 1) || ' ' || substr(old.name, 28, 1) || ' ' || "
            "substr(old.name, 29, 1) || ' ' || substr(old.name, 30, 1) || ' ' || "
            "substr(old.name, 31, 1) || ' ' || substr(old.name, 32, 1) || ' ' || "
            "substr(old.name, 33, 1) || ' ' || substr(old.name, 34, 1) || ' ' || "
            "substr(old.name, 35, 1) || ' ' || substr(old.name, 36, 1) || ' ' || "
            "substr(old.name, 37, 1) || ' ' || substr(old.name, 38, 1) || ' ' || "
            "substr(old.name, 39, 1) || ' ' || substr(old.name, 40, 1) || ' ' || "
            "substr(old.name, 41, 1) || ' ' || substr(old.name, 42, 1) || ' ' || "
            "substr(old.name, 43, 1) || ' ' || substr(old.name, 44, 1) || ' ' || "
            "substr(old.name, 45, 1) || ' ' || substr(old.name, 46, 1) || ' ' || "
            "substr(old.name, 47, 1) || ' ' || substr(old.name, 48, 1) || ' ' || "
            "substr(old.name, 49, 1) || ' ' || substr(old.name, 50, 1) || ' ' || "
            "substr(old.name, 51, 1) || ' ' || substr(old.name, 52, 1) || ' ' || "
            "substr(old.name, 53, 1) || ' ' || substr(old.name, 54, 1) || ' ' || "
            "substr(old.name, 55, 1) || ' ' || substr(old.name, 56, 1) || ' ' || "
            "substr(old.name, 57, 1) || ' ' || substr(old.name, 58, 1) || ' ' || "
            "substr(old.name, 59, 1) || ' ' || substr(old.name, 60, 1) || ' ' || "
            "substr(old.name, 61, 1) || ' ' || substr(old.name, 62, 1) || ' ' || "
            "substr(old.name, 63, 1) || ' ' || substr(old.name, 64, 1) || ' ' || "
            "substr(old.name, 65, 1) || ' ' || substr(old.name, 66, 1) || ' ' || "
            "substr(old.name, 67, 1) || ' ' || substr(old.name, 68, 1) || ' ' || "
            "substr(old.name, 69, 1) || ' ' || substr(old.name, 70, 1) || ' ' || "
            "substr(old.name, 71, 1) || ' ' || substr(old.name, 72, 1) || ' ' || "
            "substr(old.name, 73, 1) || ' ' || substr(old.name, 74, 1) || ' ' || "
            "substr(old.name, 75, 1) || ' ' || substr(old.name, 76, 1) || ' ' || "
            "substr(old.name, 77, 1) || ' ' || substr(old.name, 78, 1) || ' ' || "
            "substr(old.name, 79, 1) || ' ' || substr(old.name, 80, 1) || ' ' || "
            "substr(old.name, 1, 2) || ' ' || substr(old.name, 2, 2) || ' ' || substr(old.name, "
            "3, 2) || ' ' || substr(old.name, 4, 2) || ' ' || substr(old.name, 5, 2) || ' ' || "
            "substr(old.name, 6, 2) || ' ' || substr(old.name, 7, 2) || ' ' || substr(old.name, "
            "8, 2) || ' ' || substr(old.name, 9, 2) || ' ' || substr(old.name, 10, 2) || ' ' || "
            "substr(old.name, 11, 2) || ' ' || substr(old.name, 12, 2) || ' ' || "
            "substr(old.name, 13, 2) || ' ' || substr(old.name, 14, 2) || ' ' || "
            "substr(old.name, 15, 2) || ' ' || substr(old.name, 16, 2) || ' ' || "
            "substr(old.name, 17, 2) || ' ' || substr(old.name, 18, 2) || ' ' || "
            "substr(old.name, 19, 2) || ' ' || substr(old.name, 20, 2) || ' ' || "
            "substr(old.name, 21, 2) || ' ' || substr(old.name, 22, 2) || ' ' || "
            "substr(old.name, 23, 2) || ' ' || substr(old.name, 24, 2) || ' ' || "
            "substr(old.name, 25, 2) || ' ' || substr(old.name, 26, 2) || ' ' || "
            "substr(old.name, 27, 2) || ' ' || substr(old.name, 28, 2) || ' ' || "
            "substr(old.name, 29, 2) || ' ' || substr(old.name, 30, 2) || ' ' || "
            "substr(old.name, 31, 2) || ' ' || substr(old.name, 32, 2) || ' ' || "
            "substr(old.name, 33, 2) || ' ' || substr(old.name, 34, 2) || ' ' || "
            "substr(old.name, 35, 2) || ' ' || substr(old.name, 36, 2) || ' ' || "
            "substr(old.name, 37, 2) || ' ' || substr(old.name, 38, 2) || ' ' || "
            "substr(old.name, 39, 2) || ' ' || substr(old.name, 40, 2) || ' ' || "
            "substr(old.name, 41, 2) || ' ' || substr(old.name, 42, 2) || ' ' || "
            "substr(old.name, 43, 2) || ' ' || substr(old.name, 44, 2) || ' ' || "
            "substr(old.name, 45, 2) || ' ' || substr(old.name, 46, 2) || ' ' || "
            "substr(old.name, 47, 2) || ' ' || substr(old.name, 48, 2) || ' ' || "
            "substr(old.name, 49, 2) || ' ' || substr(old.name, 50, 2) || ' ' || "
            "substr(old.name, 51, 2) || ' ' || substr(old.name, 52, 2) || ' ' || "
            "substr(old.name, 53, 2) || ' ' || substr(old.name, 54, 2) || ' ' || "
            "substr(old.name, 55, 2) || ' ' || substr(old.name, 56, 2) || ' ' || "
            "substr(old.name, 57, 2) || ' ' || substr(old.name, 58, 2) || ' ' || "
            "substr(old.name, 59, 2) || ' ' || substr(old.name, 60, 2) || ' ' || "
            "substr(old.name, 61, 2) || ' ' || substr(old.name, 62, 2) || ' ' || "
            "substr(old.name, 63, 2) || ' ' || substr(old.name, 64, 2) || ' ' || "
            "substr(old.name, 65, 2) || ' ' || substr(old.name, 66, 2) || ' ' || "
            "substr(old.name, 67, 2) || ' ' || substr(old.name, 68, 2) || ' ' || "
            "substr(old.name, 69, 2) || ' ' || substr(old.name, 70, 2) || ' ' || "
            "substr(old.name, 71, 2) || ' ' || substr(old.name, 72, 2) || ' ' || "
            "substr(old.name, 73, 2) || ' ' || substr(old.name, 74, 2) || ' ' || "
            "substr(old.name, 75, 2) || ' ' || substr(old.name, 76, 2) || ' ' || "
            "substr(old.name, 77, 2) || ' ' || substr(old.name, 78, 2) || ' ' || "
            "substr(old.name, 79, 2), '')); END",
            'CREATE TRIGGER IF NOT EXISTS orgs_grams_au AFTER UPDATE OF name ON orgs BEGIN '
            "SELECT RAISE(ABORT, 'orgs.name is longer than 80') WHERE length(new.name) > 80; "
            "INSERT INTO orgs_grams(orgs_grams, rowid, name) VALUES ('delete', old.id, "
            "coalesce(substr(old.name, 1, 1) || ' ' || substr(old.name, 2, 1) || ' ' || "
            "substr(old.name, 3, 1) || ' ' || substr(old.name, 4, 1) || ' ' || substr(old.name, "
            "5, 1) || ' ' || substr(old.name, 6, 1) || ' ' || substr(old.name, 7, 1) || ' ' || "
            "substr(old.name, 8, 1) || ' ' || substr(old.name, 9, 1) || ' ' || substr(old.name, "
            "10, 1) || ' ' || substr(old.name, 11, 1) || ' ' || substr(old.name, 12, 1) || ' ' "
            "|| substr(old.name, 13, 1) || ' ' || substr(old.name, 14, 1) || ' ' || "
            "substr(old.name, 15, 1) || ' ' || substr(old.name, 16, 1) || ' ' || "
            "substr(old.name, 17, 1) || ' ' || substr(old.name, 18, 1) || ' ' || "
            "substr(old.name, 19, 1) || ' ' || substr(old.name, 20, 1) || ' ' || "
            "substr(old.name, 21, 1) || ' ' || substr(old.name, 22, 1) || ' ' || "
            "substr(old.name, 23, 1) || ' ' || substr(old.name, 24, 1) || ' ' || "
            "substr(old.name, 25, 1) || ' ' || substr(old.name, 26, 1) || ' ' || "
            "substr(old.name, 27, 1) || ' ' || substr(old.name, 28, 1) || ' ' || "
            "substr(old.name, 29, 1) || ' ' || substr(old.name, 30, 1) || ' ' || "
            "substr(old.name, 31, 1) || ' ' || substr(old.name, 32, 1) || ' ' || "
            "substr(old.name, 33, 1) || ' ' || substr(old.name, 34, 1) || ' ' || "
            "substr(old.name, 35, 1) || ' ' || substr(old.name, 36, 1) || ' ' || "
            "substr(old.name, 37, 1) || ' ' || substr(old.name, 38, 1) || ' ' || "
            "substr(old.name, 39, 1) || ' ' || substr(old.name, 40, 1) || ' ' || "
            "substr(old.name, 41, 1) || ' ' || substr(old.name, 42, 1) || ' ' || "
            "substr(old.name, 43, 1) || ' ' || substr(old.name, 44, 1) || ' ' || "
            "substr(old.name, 45, 1) || ' ' || substr(old.name, 46, 1) || ' ' || "
            "substr(old.name, 47, 1) || ' ' || substr(old.name, 48, 1) || ' ' || "
            "substr(old.name, 49, 1) || ' ' || substr(old.name, 50, 1) || ' ' || "
            "substr(old.name, 51, 1) || ' ' || substr(old.name, 52, 1) || ' ' || "
            "substr(old.name, 53, 1) || ' ' || substr(old.name, 54, 1) || ' ' || "
            "substr(old.name, 55, 1) || ' ' || substr(old.name, 56, 1) || ' ' || "
            "substr(old.name, 57, 1) || ' ' || substr(old.name, 58, 1) || ' ' || "
            "substr(old.name, 59, 1) || ' ' || substr(old.name, 60, 1) || ' ' || "
            "substr(old.name, 61, 1) || ' ' || substr(old.name, 62, 1) || ' ' || "
            "substr(old.name, 63, 1) || ' ' || substr(old.name, 64, 1) || ' ' || "
            "substr(old.name, 65, 1) || ' ' || substr(old.name, 66, 1) || ' ' || "
            "substr(old.name, 67, 1) || ' ' || substr(old.name, 68, 1) || ' ' || "
            "substr(old.name, 69, 1) || ' ' || substr(old.name, 70, 1) || ' ' || "
            "substr(old.name, 71, 1) || ' ' || substr(old.name, 72, 1) || ' ' || "
            "substr(old.name, 73, 1) || ' ' || substr(old.name, 74, 1) || ' ' || "
            "substr(old.name, 75, 1) || ' ' || substr(old.name, 76, 1) || ' ' || "
            "substr(old.name, 77, 1) || ' ' || substr(old.name, 78, 1) || ' ' || "
            "substr(old.name, 79, 1) || ' ' || substr(old.name, 80, 1) || ' ' || "
            "substr(old.name, 1, 2) || ' ' || substr(old.name, 2, 2) || ' ' || substr(old.name, "
            "3, 2) || ' ' || substr(old.name, 4, 2) || ' ' || substr(old.name, 5, 2) || ' ' || "
            "substr(old.name, 6, 2) || ' ' || substr(old.name, 7, 2) || ' ' || substr(old.name, "
            "8, 2) || ' ' || substr(old.name, 9, 2) || ' ' || substr(old.name, 10, 2) || ' ' || "
            "substr(old.name, 11, 2) || ' ' || substr(old.name, 12, 2) || ' ' || "
            "substr(old.name, 13, 2) || ' ' || substr(old.name, 14, 2) || ' ' || "
            "substr(old.name, 15, 2) || ' ' || substr(old.name, 16, 2) || ' ' || "
            "substr(old.name, 17, 2) || ' ' || substr(old.name, 18, 2) || ' ' || "
            "substr(old.name, 19, 2) || ' ' || substr(old.name, 20, 2) || ' ' || "
            "substr(old.name, 21, 2) || ' ' || substr(old.name, 22, 2) || ' ' || "
            "substr(old.name, 23, 2) || ' ' || substr(old.name, 24, 2) || ' ' || "
            "substr(old.name, 25, 2) || ' ' || substr(old.name, 26, 2) || ' ' || "
            "substr(old.name, 27, 2) || ' ' || substr(old.name, 28, 2) || ' ' || "
            "substr(old.name, 29, 2) || ' ' || substr(old.name, 30, 2) || ' ' || "
            "substr(old.name, 31, 2) || ' ' || substr(old.name, 32, 2) || ' ' || "
            "substr(old.name, 33, 2) || ' ' || substr(old.name, 34, 2) || ' ' || "
            "substr(old.name, 35, 2) || ' ' || substr(old.name, 36, 2) || ' ' || "
            "substr(old.name, 37, 2) || ' ' || substr(old.name, 38, 2) || ' ' || "
            "substr(old.name, 39, 2) || ' ' || substr(old.name, 40, 2) || ' ' || "
            "substr(old.name, 41, 2) || ' ' || substr(old.name, 42, 2) || ' ' || "
            "substr(old.name, 43, 2) || ' ' || substr(old.name, 44, 2) || ' ' || "
            "substr(old.name, 45, 2) || ' ' || substr(old.name, 46, 2) || ' ' || "
            "substr(old.name, 47, 2) || ' ' || substr(old.name, 48, 2) || ' ' || "
            "substr(old.name, 49, 2) || ' ' || substr(old.name, 50, 2) || ' ' || "
            "substr(old.name, 51, 2) || ' ' || substr(old.name, 52, 2) || ' ' || "
            "substr(old.name, 53, 2) || ' ' || substr(old.name, 54, 2) || ' ' || "
            "substr(old.name, 55, 2) || ' ' || substr(old.name, 56, 2) || ' ' || "
            "substr(old.name, 57, 2) || ' ' || substr(old.name, 58, 2) || ' ' || "
            "substr(old.name, 59, 2) || ' ' || substr(old.name, 60, 2) || ' ' || "
            "substr(old.name, 61, 2) || ' ' || substr(old.name, 62, 2) || ' ' || "
            "substr(old.name, 63, 2) || ' ' || substr(old.name, 64, 2) || ' ' || "
            "substr(old.name, 65, 2) || ' ' || substr(old.name, 66, 2) || ' ' || "
            "substr(old.name, 67, 2) || ' ' || substr(old.name, 68, 2) || ' ' || "
            "substr(old.name, 69, 2) || ' ' || substr(old.name, 70, 2) || ' ' || "
            "substr(old.name, 71, 2) || ' ' || substr(old.name, 72, 2) || ' ' || "
            "substr(old.name, 73, 2) || ' ' || substr(old.name, 74, 2) || ' ' || "
            "substr(old.name, 75, 2) || ' ' || substr(old.name, 76, 2) || ' ' || "
            "substr(old.name, 77, 2) || ' ' || substr(old.name, 78, 2) || ' ' || "
            "substr(old.name, 79, 2), '')); INSERT INTO orgs_grams(rowid, name) VALUES (new.id, "
            "coalesce(substr(new.name, 1, 1) || ' ' || substr(new.name, 2, 1) || ' ' || "
            "substr(new.name, 3, 1) || ' ' || substr(new.name, 4, 1) || ' ' || substr(new.name, "
            "5, 1) || ' ' || substr(new.name, 6, 1) || ' ' || substr(new.name, 7, 1) || ' ' || "
            "substr(new.name, 8, 1) || ' ' || substr(new.name, 9, 1) || ' ' || substr(new.name, "
            "10, 1) || ' ' || substr(new.name, 11, 1) || ' ' || substr(new.name, 12, 1) || ' ' "
            "|| substr(new.name, 13, 1) || ' ' || substr(new.name, 14, 1) || ' ' || "
            "substr(new.name, 15, 1) || ' ' || substr(new.name, 16, 1) || ' ' || "
            "substr(new.name, 17, 1) || ' ' || substr(new.name, 18, 1) || ' ' || "
            "substr(new.name, 19, 1) || ' ' || substr(new.name, 20, 1) || ' ' || "
            "substr(new.name, 21, 1) || ' ' || substr(new.name, 22, 1) || ' ' || "
            "substr(new.name, 23, 1) || ' ' || substr(new.name, 24, 1) || ' ' || "
            "substr(new.name, 25, 1) || ' ' || substr(new.name, 26, 1) || ' ' || "
            "substr(new.name, 27, 1) || ' ' || substr(new.name, 28, 1) || ' ' || "
            "substr(new.name, 29, 1) || ' ' || substr(new.name, 30, 1) || ' ' || "
            "substr(new.name, 31, 1) || ' ' || substr(new.name, 32, 1) || ' ' || "
            "substr(new.name, 33, 1) || ' ' || substr(new.name, 34, 1) || ' ' || "
            "substr(new.name, 35, 1) || ' ' || substr(new.name, 36, 1) || ' ' || "
            "substr(new.name, 37, 1) || ' ' || substr(new.name, 38, 1) || ' ' || "
            "substr(new.name, 39, 1) || ' ' || substr(new.name, 40, 1) || ' ' || "
            "substr(new.name, 41, 1) || ' ' || substr(new.name, 42, 1) || ' ' || "
            "substr(new.name, 43, 1) || ' ' || substr(new.name, 44, 1) || ' ' || "
            "substr(new.name, 45, 1) || ' ' || substr(new.name, 46, 1) || ' ' || "
            "substr(new.name, 47, 1) || ' ' || substr(new.name, 48, 1) || ' ' || "
            "substr(new.name, 49, 1) || ' ' || substr(new.name, 50, 1) || ' ' || "
            "substr(new.name, 51, 1) || ' ' || substr(new.name, 52, 1) || ' ' || "
            "substr(new.name, 53, 1) || ' ' || substr(new.name, 54, 1) || ' ' || "
            "substr(new.name, 55, 1) || ' ' || substr(new.name, 56, 1) || ' ' || "
            "substr(new.name, 57, 1) || ' ' || substr(new.name, 58, 1) || ' ' || "
            "substr(new.name, 59, 1) || ' ' || substr(new.name, 60, 1) || ' ' || "
            "substr(new.name, 61, 1) || ' ' || substr(new.name, 62, 1) || ' ' || "
            "substr(new.name, 63, 1) || ' ' || substr(new.name, 64, 1) || ' ' || "
            "substr(new.name, 65, 1) || ' ' || substr(new.name, 66, 1) || ' ' || "
            "substr(new.name, 67, 1) || ' ' || substr(new.name, 68, 1) || ' ' || "
            "substr(new.name, 69, 1) || ' ' || substr(new.name, 70, 1) || ' ' || "
            "substr(new.name, 71, 1) || ' ' || substr(new.name, 72, 1) || ' ' || "
            "substr(new.name, 73, 1) || ' ' || substr(new.name, 74, 1) || ' ' || "
            "substr(new.name, 75, 1) || ' ' || substr(new.name, 76, 1) || ' ' || "
            "substr(new.name, 77, 1) || ' ' || substr(new.name, 78, 1) || ' ' || "
            "substr(new.name, 79, 1) || ' ' || substr(new.name, 80, 1) || ' ' || "
            "substr(new.name, 1, 2) || ' ' || substr(new.name, 2, 2) || ' ' || substr(new.name, "
            "3, 2) || ' ' || substr(new.name, 4, 2) || ' ' || substr(new.name, 5, 2) || ' ' || "
            "substr(new.name, 6, 2) || ' ' || substr(new.name, 7, 2) || ' ' || substr(new.name, "
            "8, 2) || ' ' || substr(new.name, 9, 2) || ' ' || substr(new.name, 10, 2) || ' ' || "
            "substr(new.name, 11, 2) || ' ' || substr(new.name, 12, 2) || ' ' || "
            "substr(new.name, 13, 2) || ' ' || substr(new.name, 14, 2) || ' ' || "
            "substr(new.name, 15, 2) || ' ' || substr(new.name, 16, 2) || ' ' || "
            "substr(new.name, 17, 2) || ' ' || substr(new.name, 18, 2) || ' ' || "
            "substr(new.name, 19, 2) || ' ' || substr(new.name, 20, 2) || ' ' || "
            "substr(new.name, 21, 2) || ' ' || substr(new.name, 22, 2) || ' ' || "
            "substr(new.name, 23, 2) || ' ' || substr(new.name, 24, 2) || ' ' || "
            "substr(new.name, 25, 2) || ' ' || substr(new.name, 26, 2) || ' ' || "
            "substr(new.name, 27, 2) || ' ' || substr(new.name, 28, 2) || ' ' || "
            "substr(new.name, 29, 2) || ' ' || substr(new.name, 30, 2) || ' ' || "
            "substr(new.name, 31, 2) || ' ' || substr(new.name, 32, 2) || ' ' || "
            "substr(new.name, 33, 2) || ' ' || substr(new.name, 34, 2) || ' ' || "
            "substr(new.name, 35, 2) || ' ' || substr(new.name, 36, 2) || ' ' || "
            "substr(new.name, 37, 2) || ' ' || substr(new.name, 38, 2) || ' ' || "
            "substr(new.name, 39, 2) || ' ' || substr(new.name, 40, 2) || ' ' || "
            "substr(new.name, 41, 2) || ' ' || substr(new.name, 42, 2) || ' ' || "
            "substr(new.name, 43, 2) || ' ' || substr(new.name, 44, 2) || ' ' || "
            "substr(new.name, 45, 2) || ' ' || substr(new.name, 46, 2) || ' ' || "
            "substr(new.name, 47, 2) || ' ' || substr(new.name, 48, 2) || ' ' || "
            "substr(new.name, 49, 2) || ' ' || substr(new.name, 50, 2) || ' ' || "
            "substr(new.name, 51, 2) || ' ' || substr(new.name, 52, 2) || ' ' || "
            "substr(new.name, 53, 2) || ' ' || substr(new.name, 54, 2) || ' ' || "
            "substr(new.name, 55, 2) || ' ' || substr(new.name, 56, 2) || ' ' || "
            "substr(new.name, 57, 2) || ' ' || substr(new.name, 58, 2) || ' ' || "
            "substr(new.name, 59, 2) || ' ' || substr(new.name, 60, 2) || ' ' || "
            "substr(new.name, 61, 2) || ' ' || substr(new.name, 62, 2) || ' ' || "
            "substr(new.name, 63, 2) || ' ' || substr(new.name, 64, 2) || ' ' || "
            "substr(new.name, 65, 2) || ' ' || substr(new.name, 66, 2) || ' ' || "
            "substr(new.name, 67, 2) || ' ' || substr(new.name, 68, 2) || ' ' || "
            "substr(new.name, 69, 2) || ' ' || substr(new.name, 70, 2) || ' ' || "
            "substr(new.name, 71, 2) || ' ' || substr(new.name, 72, 2) || ' ' || "
            "substr(new.name, 73, 2) || ' ' || substr(new.name, 74, 2) || ' ' || "
            "substr(new.name, 75, 2) || ' ' || substr(new.name, 76, 2) || ' ' || "
            "substr(new.name, 77, 2) || ' ' || substr(new.name, 78, 2) || ' ' || "
            "substr(new.name, 79, 2), '')); END",
            "CREATE VIRTUAL TABLE IF NOT EXISTS units_fts USING fts5(name, content='units', "
            "content_rowid='id', tokenize='trigram')",
            "INSERT INTO units_fts(units_fts) VALUES ('rebuild')",
            'CREATE TRIGGER IF NOT EXISTS units_fts_ai AFTER INSERT ON units BEGIN INSERT INTO '
            'units_fts(rowid, name) VALUES (new.id, new.name); END',
            'CREATE TRIGGER IF NOT EXISTS units_fts_ad AFTER DELETE ON units BEGIN INSERT INTO '
            "units_fts(units_fts, rowid, name) VALUES ('delete', old.id, old.name); END",
            'CREATE TRIGGER IF NOT EXISTS units_fts_au AFTER UPDATE OF name ON units BEGIN '
            "INSERT INTO units_fts(units_fts, rowid, name) VALUES ('delete', old.id, old.name); "
            'INSERT INTO units_fts(rowid, name) VALUES (new.id, new.name); END',
            "CREATE VIRTUAL TABLE IF NOT EXISTS units_grams USING fts5(name, content='', "
            'tokenize="unicode61 remove_diacritics 0 categories \'L* M* N* P* S* Co\'")',
            "INSERT INTO units_grams(units_grams) VALUES ('delete-all')",
            "INSERT INTO units_grams(rowid, name) SELECT id, coalesce(substr(name, 1, 1) || ' ' "
            "|| substr(name, 2, 1) || ' ' || substr(name, 3, 1) || ' ' || substr(name, 4, 1) || "
            "' ' || substr(name, 5, 1) || ' ' || substr(name, 6, 1) || ' ' || substr(name, 7, 1) "
            "|| ' ' || substr(name, 8, 1) || ' ' || substr(name, 9, 1) || ' ' || substr(name, "
            "10, 1) || ' ' || substr(name, 11, 1) || ' ' || substr(name, 12, 1) || ' ' || "
            "substr(name, 13, 1) || ' ' || substr(name, 14, 1) || ' ' || substr(name, 15, 1) || "
            "' ' || substr(name, 16, 1) || ' ' || substr(name, 17, 1) || ' ' || substr(name, 18, "
            "1) || ' ' || substr(name, 19, 1) || ' ' || substr(name, 20, 1) || ' ' || "
            "substr(name, 21, 1) || ' ' || substr(name, 22, 1) || ' ' || substr(name, 23, 1) || "
            "' ' || substr(name, 24, 1) || ' ' || substr(name, 25, 1) || ' ' || substr(name, 26, "
            "1) || ' ' || substr(name, 27, 1) || ' ' || substr(name, 28, 1) || ' ' || "
            "substr(name, 29, 1) || ' ' || substr(name, 30, 1) || ' ' || substr(name, 31, 1) || "
            "' ' || substr(name, 32, 1) || ' ' || substr(name, 33, 1) || ' ' || substr(name, 34, "
            "1) || ' ' || substr(name, 35, 1) || ' ' || substr(name, 36, 1) || ' ' || "
            "substr(name, 37, 1) || ' ' || substr(name, 38, 1) || ' ' || substr(name, 39, 1) || "
            "' ' || substr(name, 40, 1) || ' ' || substr(name, 41, 1) || ' ' || substr(name, 42, "
            "1) || ' ' || substr(name, 43, 1) || ' ' || substr(name, 44, 1) || ' ' || "
            "substr(name, 45, 1) || ' ' || substr(name, 46, 1) || ' ' || substr(name, 47, 1) || "
            "' ' || substr(name, 48, 1) || ' ' || substr(name, 49, 1) || ' ' || substr(name, 50, "
            "1) || ' ' || substr(name, 51, 1) || ' ' || substr(name, 52, 1) || ' ' || "
            "substr(name, 53, 1) || ' ' || substr(name, 54, 1) || ' ' || substr(name, 55, 1) || "
            "' ' || substr(name, 56, 1) || ' ' || substr(name, 57, 1) || ' ' || substr(name, 58, "
            "1) || ' ' || substr(name, 59, 1) || ' ' || substr(name, 60, 1) || ' ' || "
            "substr(name, 61, 1) || ' ' || substr(name, 62, 1) || ' ' || substr(name, 63, 1) || "
            "' ' || substr(name, 64, 1) || ' ' || substr(name, 65, 1) || ' ' || substr(name, 66, "
            "1) || ' ' || substr(name, 67, 1) || ' ' || substr(name, 68, 1) || ' ' || "
            "substr(name, 69, 1) || ' ' || substr(name, 70, 1) || ' ' || substr(name, 71, 1) || "
            "' ' || substr(name, 72, 1) || ' ' || substr(name, 73, 1) || ' ' || substr(name, 74, "
            "1) || ' ' || substr(name, 75, 1) || ' ' || substr(name, 76, 1) || ' ' || "
            "substr(name, 77, 1) || ' ' || substr(name, 78, 1) || ' ' || substr(name, 79, 1) || "
            "' ' || substr(name, 80, 1) || ' ' || substr(name, 1, 2) || ' ' || substr(name, 2, "
            "2) || ' ' || substr(name, 3, 2) || ' ' || substr(name, 4, 2) || ' ' || substr(name, "
            "5, 2) || ' ' || substr(name, 6, 2) || ' ' || substr(name, 7, 2) || ' ' || "
            "substr(name, 8, 2) || ' ' || substr(name, 9, 2) || ' ' || substr(name, 10, 2) || ' "
            "' || substr(name, 11, 2) || ' ' || substr(name, 12, 2) || ' ' || substr(name, 13, "
            "2) || ' ' || substr(name, 14, 2) || ' ' || substr(name, 15, 2) || ' ' || "
            "substr(name, 16, 2) || ' ' || substr(name, 17, 2) || ' ' || substr(name, 18, 2) || "
            "' ' || substr(name, 19, 2) || ' ' || substr(name, 20, 2) || ' ' || substr(name, 21, "
            "2) || ' ' || substr(name, 22, 2) || ' ' || substr(name, 23, 2) || ' ' || "
            "substr(name, 24, 2) || ' ' || substr(name, 25, 2) || ' ' || substr(name, 26, 2) || "
            "' ' || substr(name, 27, 2) || ' ' || substr(name, 28, 2) || ' ' || substr(name, 29, "
            "2) || ' ' || substr(name, 30, 2) || ' ' || substr(name, 31, 2) || ' ' || "
            "substr(name, 32, 2) || ' ' || substr(name, 33, 2) || ' ' || substr(name, 34, 2) || "
            "' ' || substr(name, 35, 2) || ' ' || substr(name, 36, 2) || ' ' || substr(name, 37, "
            "2) || ' ' || substr(name, 38, 2) || ' ' || substr(name, 39, 2) || ' ' || "
            "substr(name, 40, 2) || ' ' || substr(name, 41, 2) || ' ' || substr(name, 42, 2) || "
            "' ' || substr(name, 43, 2) || ' ' || substr(name, 44, 2) || ' ' || substr(name, 45, "
            "2) || ' ' || substr(name, 46, 2) || ' ' || substr(name, 47, 2) || ' ' || "
            "substr(name, 48, 2) || ' ' || substr(name, 49, 2) || ' ' || substr(name, 50, 2) || "
            "' ' || substr(name, 51, 2) || ' ' || substr(name, 52, 2) || ' ' || substr(name, 53, "
            "2) || ' ' || substr(name, 54, 2) || ' ' || substr(name, 55, 2) || ' ' || "
            "substr(name, 56, 2) || ' ' || substr(name, 57, 2) || ' ' || substr(name, 58, 2) || "
            "' ' || substr(name, 59, 2) || ' ' || substr(name, 60, 2) || ' ' || substr(name, 61, "
            "2) || ' ' || substr(name, 62, 2) || ' ' || substr(name, 63, 2) || ' ' || "
            "substr(name, 64, 2) || ' ' || substr(name, 65, 2) || ' ' || substr(name, 66, 2) || "
            "' ' || substr(name, 67, 2) || ' ' || substr(name, 68, 2) || ' ' || substr(name, 69, "
            "2) || ' ' || substr(name, 70, 2) || ' ' || substr(name, 71, 2) || ' ' || "
            "substr(name, 72, 2) || ' ' || substr(name, 73, 2) || ' ' || substr(name, 74, 2) || "
            "' ' || substr(name, 75, 2) || ' ' || substr(name, 76, 2) || ' ' || substr(name, 77, "
            "2) || ' ' || substr(name, 78, 2) || ' ' || substr(name, 79, 2), '') FROM units",
            'CREATE TRIGGER IF NOT EXISTS units_grams_ai AFTER INSERT ON units BEGIN SELECT '
            "RAISE(ABORT, 'units.name is longer than 80') WHERE length(new.name) > 80; INSERT "
            "INTO units_grams(rowid, name) VALUES (new.id, coalesce(substr(new.name, 1, 1) || ' "
            "' || substr(new.name, 2, 1) || ' ' || substr(new.name, 3, 1) || ' ' || "
            "substr(new.name, 4, 1) || ' ' || substr(new.name, 5, 1) || ' ' || substr(new.name, "
            "6, 1) || ' ' || substr(new.name, 7, 1) || ' ' || substr(new.name, 8, 1) || ' ' || "
            "substr(new.name, 9, 1) || ' ' || substr(new.name, 10, 1) || ' ' || substr(new.name, "
            "11, 1) || ' ' || substr(new.name, 12, 1) || ' ' || substr(new.name, 13, 1) || ' ' "
            "|| substr(new.name, 14, 1) || ' ' || substr(new.name, 15, 1) || ' ' || "
            "substr(new.name, 16, 1) || ' ' || substr(new.name, 17, 1) || ' ' || "
            "substr(new.name, 18, 1) || ' ' || substr(new.name, 19, 1) || ' ' || "
            "substr(new.name, 20, 1) || ' ' || substr(new.name, 21, 1) || ' ' || "
            "substr(new.name, 22, 1) || ' ' || substr(new.name, 23, 1) || ' ' || "
            "substr(new.name, 24, 1) || ' ' || substr(new.name, 25, 1) || ' ' || "
            "substr(new.name, 26, 1) || ' ' || substr(new.name, 27, 1) || ' ' || "
            "substr(new.name, 28, 1) || ' ' || substr(new.name, 29, 1) || ' ' || "
            "substr(new.name, 30, 1) || ' ' || substr(new.name, 31, 1) || ' ' || "
            "substr(new.name, 32, 1) || ' ' || substr(new.name, 33, 1) || ' ' || "
            "substr(new.name, 34, 1) || ' ' || substr(new.name, 35, 1) || ' ' || "
            "substr(new.name, 36, 1) || ' ' || substr(new.name, 37, 1) || ' ' || "
            "substr(new.name, 38, 1) || ' ' || substr(new.name, 39, 1) || ' ' || "
            "substr(new.name, 40, 1) || ' ' || substr(new.name, 41, 1) || ' ' || "
            "substr(new.name, 42, 1) || ' ' || substr(new.name, 43, 1) || ' ' || "
            "substr(new.name, 44, 1) || ' ' || substr(new.name, 45, 1) || ' ' || "
            "substr(new.name, 46, 1) || ' ' || substr(new.name, 47, 1) || ' ' || "
            "substr(new.name, 48, 1) || ' ' || substr(new.name, 49, 1) || ' ' || "
            "substr(new.name, 50, 1) || ' ' || substr(new.name, 51, 1) || ' ' || "
            "substr(new.name, 52, 1) || ' ' || substr(new.name, 53, 1) || ' ' || "
            "substr(new.name, 54, 1) || ' ' || substr(new.name, 55, 1) || ' ' || "
            "substr(new.name, 56, 1) || ' ' || substr(new.name, 57, 1) || ' ' || "
            "substr(new.name, 58, 1) || ' ' || substr(new.name, 59, 1) || ' ' || "
            "substr(new.name, 60, 1) || ' ' || substr(new.name, 61, 1) || ' ' || "
            "substr(new.name, 62, 1) || ' ' || substr(new.name, 63, 1) || ' ' || "
            "substr(new.name, 64, 1) || ' ' || substr(new.name, 65, 1) || ' ' || "
            "substr(new.name, 66, 1) || ' ' || substr(new.name, 67, 1) || ' ' || "
            "substr(new.name, 68, 1) || ' ' || substr(new.name, 69, 1) || ' ' || "
            "substr(new.name, 70, 1) || ' ' || substr(new.name, 71, 1) || ' ' || "
            "substr(new.name, 72, 1) || ' ' || substr(new.name, 73, 1) || ' ' || "
            "substr(new.name, 74, 1) || ' ' || substr(new.name, 75, 1) || ' ' || "
            "substr(new.name, 76, 1) || ' ' || substr(new.name, 77, 1) || ' ' || "
            "substr(new.name, 78, 1) || ' ' || substr(new.name, 79, 1) || ' ' || "
            "substr(new.name, 80, 1) || ' ' || substr(new.name, 1, 2) || ' ' || substr(new.name, "
            "2, 2) || ' ' || substr(new.name, 3, 2) || ' ' || substr(new.name, 4, 2) || ' ' || "
            "substr(new.name, 5, 2) || ' ' || substr(new.name, 6, 2) || ' ' || substr(new.name, "
            "7, 2) || ' ' || substr(new.name, 8, 2) || ' ' || substr(new.name, 9, 2) || ' ' || "
            "substr(new.name, 10, 2) || ' ' || substr(new.name, 11, 2) || ' ' || "
            "substr(new.name, 12, 2) || ' ' || substr(new.name, 13, 2) || ' ' || "
            "substr(new.name, 14, 2) || ' ' || substr(new.name, 15, 2) || ' ' || "
            "substr(new.name, 16, 2) || ' ' || substr(new.name, 17, 2) || ' ' || "
            "substr(new.name, 18, 2) || ' ' || substr(new.name, 19, 2) || ' ' || "
            "substr(new.name, 20, 2) || ' ' || substr(new.name, 21, 2) || ' ' || "
            "substr(new.name, 22, 2) || ' ' || substr(new.name, 23, 2) || ' ' || "
            "substr(new.name, 24, 2) || ' ' || substr(new.name, 25, 2) || ' ' || "
            "substr(new.name, 26, 2) || ' ' || substr(new.name, 27, 2) || ' ' || "
            "substr(new.name, 28, 2) || ' ' || substr(new.name, 29, 2) || ' ' || "
            "substr(new.name, 30, 2) || ' ' || substr(new.name, 31, 2) || ' ' || "
            "substr(new.name, 32, 2) || ' ' || substr(new.name, 33, 2) || ' ' || "
            "substr(new.name, 34, 2) || ' ' || substr(new.name, 35, 2) || ' ' || "
            "substr(new.name, 36, 2) || ' ' || substr(new.name, 37, 2) || ' ' || "
            "substr(new.name, 38, 2) || ' ' || substr(new.name, 39, 2) || ' ' || "
            "substr(new.name, 40, 2) || ' ' || substr(new.name, 41, 2) || ' ' || "
            "substr(new.name, 42, 2) || ' ' || substr(new.name, 43, 2) || ' ' || "
            "substr(new.name, 44, 2) || ' ' || substr(new.name, 45, 2) || ' ' || "
            "substr(new.name, 46, 2) || ' ' || substr(new.name, 47, 2) || ' ' || "
            "substr(new.name, 48, 2) || ' ' || substr(new.name, 49, 2) || ' ' || "
            "substr(new.name, 50, 2) || ' ' || substr(new.name, 51, 2) || ' ' || "
            "substr(new.name, 52, 2) || ' ' || substr(new.name, 53, 2) || ' ' || "
            "substr(new.name, 54, 2) || ' ' || substr(new.name, 55, 2) || ' ' || "
            "substr(new.name, 56, 2) || ' ' || substr(new.name, 57, 2) || ' ' || "
            "substr(new.name, 58, 2) || ' ' || substr(new.name, 59, 2) || ' ' || "
            "substr(new.name, 60, 2) || ' ' || substr(new.name, 61, 2) || ' ' || "
            "substr(new.name, 62, 2) || ' ' || substr(new.name, 63, 2) || ' ' || "
            "substr(new.name, 64, 2) || ' ' || substr(new.name, 65, 2) || ' ' || "
            "substr(new.name, 66, 2) || ' ' || substr(new.name, 67, 2) || ' ' || "
            "substr(new.name, 68, 2) || ' ' || substr(new.name, 69, 2) || ' ' || "
            "substr(new.name, 70, 2) || ' ' || substr(new.name, 71, 2) || ' ' || "
            "substr(new.name, 72, 2) || ' ' || substr(new.name, 73, 2) || ' ' || "
            "substr(new.name, 74, 2) || ' ' || substr(new.name, 75, 2) || ' ' || "
            "substr(new.name, 76, 2) || ' ' || substr(new.name, 77, 2) || ' ' || "
            "substr(new.name, 78, 2) || ' ' || substr(new.name, 79, 2), '')); END",
            'CREATE TRIGGER IF NOT EXISTS units_grams_ad AFTER DELETE ON units BEGIN INSERT INTO '
            "units_grams(units_grams, rowid, name) VALUES ('delete', old.id, "
            "coalesce(substr(old.name, 1, 1) || ' ' || substr(old.name, 2, 1) || ' ' || "
            "substr(old.name, 3, 1) || ' ' || substr(old.name, 4, 1) || ' ' || substr(old.name, "
            "5, 1) || ' ' || substr(old.name, 6, 1) || ' ' || substr(old.name, 7, 1) || ' ' || "
            "substr(old.name, 8, 1) || ' ' || substr(old.name, 9, 1) || ' ' || substr(old.name, "
            "10, 1) || ' ' || substr(old.name, 11, 1) || ' ' || substr(old.name, 12, 1) || ' ' "
            "|| substr(old.name, 13, 1) || ' ' || substr(old.name, 14, 1) || ' ' || "
            "substr(old.name, 15, 1) || ' ' || substr(old.name, 16, 1) || ' ' || "
            "substr(old.name, 17, 1) || ' ' || substr(old.name, 18, 1) || ' ' || "
            "substr(old.name, 19, 1) || ' ' || substr(old.name, 20, 1) || ' ' || "
            "substr(old.name, 21, 1) || ' ' || substr(old.name, 22, 1) || ' ' || "
            "substr(old.name, 23, 1) || ' ' || substr(old.name, 24, 1) || ' ' || "
            "substr(old.name, 25, 1) || ' ' || substr(old.name, 26, 1) || ' ' || "
            "substr(old.name, 27, 1) || ' ' || substr(old.name, 28, 1) || ' ' || "
            "substr(old.name, 29, 1) || ' ' || substr(old.name, 30, 1) || ' ' || "
            "substr(old.name, 31, 1) || ' ' || substr(old.name, 32, 1) || ' ' || "
            "substr(old.name, 33, 1) || ' ' || substr(old.name, 34, 1) || ' ' || "
            "substr(old.name, 35, 1) || ' ' || substr(old.name, 36, 1) || ' ' || "
            "substr(old.name, 37, 1) || ' ' || substr(old.name, 38, 1) || ' ' || "
            "substr(old.name, 39, 1) || ' ' || substr(old.name, 40, 1) || ' ' || "
            "substr(old.name, 41, 1) || ' ' || substr(old.name, 42, 1) || ' ' || "
            "substr(old.name, 43, 1) || ' ' || substr(old.name, 44, 1) || ' ' || "
            "substr(old.name, 45, 1) || ' ' || substr(old.name, 46, 1) || ' ' || "
            "substr(old.name, 47, 1) || ' ' || substr(old.name, 48, 1) || ' ' || "
            "substr(old.name, 49, 1) || ' ' || substr(old.name, 50, 1) || ' ' || "
            "substr(old.name, 51, 1) || ' ' || substr(old.name, 52, 1) || ' ' || "
            "substr(old.name, 53, 1) || ' ' || substr(old.name, 54, 1) || ' ' || "
            "substr(old.name, 55, 1) || ' ' || substr(old.name, 56, 1) || ' ' || "
            "substr(old.name, 57, 1) || ' ' || substr(old.name, 58, 1) || ' ' || "
            "substr(old.name, 59, 1) || ' ' || substr(old.name, 60, 1) || ' ' || "
            "substr(old.name, 61, 1) || ' ' || substr(old.name, 62, 1) || ' ' || "
            "substr(old.name, 63, 1) || ' ' || substr(old.name, 64, 1) || ' ' || "
            "substr(old.name, 65, 1) || ' ' || substr(old.name, 66, 1) || ' ' || "
            "substr(old.name, 67, 1) || ' ' || substr(old.name, 68, 1) || ' ' || "
            "substr(old.name, 69, 1) || ' ' || substr(old.name, 70, 1) || ' ' || "
            "substr(old.name, 71, 1) || ' ' || substr(old.name, 72, 1) || ' ' || "
            "substr(old.name, 73, 1) || ' ' || substr(old.name, 74, 1) || ' ' || "
            "substr(old.name, 75, 1) || ' ' || substr(old.name, 76, 1) || ' ' || "
            "substr(old.name, 77, 1) || ' ' || substr(old.name, 78, 1) || ' ' || "
            "substr(old.name, 79, 1) || ' ' || substr(old.name, 80, 1) || ' ' || "
            "substr(old.name, 1, 2) || ' ' || substr(old.name, 2, 2) || ' ' || substr(old.name, "
            "3, 2) || ' ' || substr(old.name, 4, 2) || ' ' || substr(old.name, 5, 2) || ' ' || "
            "substr(old.name, 6, 2) || ' ' || substr(old.name, 7, 2) || ' ' || substr(old.name, "
            "8, 2) || ' ' || substr(old.name, 9, 2) || ' ' || substr(old.name, 10, 2) || ' ' || "
            "substr(old.name, 11, 2) || ' ' || substr(old.name, 12, 2) || ' ' || "
            "substr(old.name, 13, 2) || ' ' || substr(old.name, 14, 2) || ' ' || "
            "substr(old.name, 15, 2) || ' ' || substr(old.name, 16, 2) || ' ' || "
            "substr(old.name, 17, 2) || ' ' || substr(old.name, 18, 2) || ' ' || "
            "substr(old.name, 19, 2) || ' ' || substr(old.name, 20, 2) || ' ' || "
            "substr(old.name, 21, 2) || ' ' || substr(old.name, 22, 2) || ' ' || "
            "substr(old.name, 23, 2) || ' ' || substr(old.name, 24, 2) || ' ' || "
            "substr(old.name, 25, 2) || ' ' || substr(old.name, 26, 2) || ' ' || "
            "substr(old.name, 27, 2) || ' ' || substr(old.name, 28, 2) || ' ' || "
            "substr(old.name, 29, 2) || ' ' || substr(old.name, 30, 2) || ' ' || "
            "substr(old.name, 31, 2) || ' ' || substr(old.name, 32, 2) || ' ' || "
            "substr(old.name, 33, 2) || ' ' || substr(old.name, 34, 2) || ' ' || "
            "substr(old.name, 35, 2) || ' ' || substr(old.name, 36, 2) || ' ' || "
            "substr(old.name, 37, 2) || ' ' || substr(old.name, 38, 2) || ' ' || "
            "substr(old.name, 39, 2) || ' ' || substr(old.name, 40, 2) || ' ' || "
            "substr(old.name, 41, 2) || ' ' || substr(old.name, 42, 2) || ' ' || "
            "substr(old.name, 43, 2) || ' ' || substr(old.name, 44, 2) || ' ' || "
            "substr(old.name, 45, 2) || ' ' || substr(old.name, 46, 2) || ' ' || "
            "substr(old.name, 47, 2) || ' ' || substr(old.name, 48, 2) || ' ' || "
            "substr(old.name, 49, 2) || ' ' || substr(old.name, 50, 2) || ' ' || "
            "substr(old.name, 51, 2) || ' ' || substr(old.name, 52, 2) || ' ' || "
            "substr(old.name, 53, 2) || ' ' || substr(old.name, 54, 2) || ' ' || "
            "substr(old.name, 55, 2) || ' ' || substr(old.name, 56, 2) || ' ' || "
            "substr(old.name, 57, 2) || ' ' || substr(old.name, 58, 2) || ' ' || "
            "substr(old.name, 59, 2) || ' ' || substr(old.name, 60, 2) || ' ' || "
            "substr(old.name, 61, 2) || ' ' || substr(old.name, 62, 2) || ' ' || "
            "substr(old.name, 63, 2) || ' ' || substr(old.name, 64, 2) || ' ' || "
            "substr(old.name, 65, 2) || ' ' || substr(old.name, 66, 2) || ' ' || "
            "substr(old.name, 67, 2) || ' ' || substr(old.name, 68, 2) || ' ' || "
            "substr(old.name, 69, 2) || ' ' || substr(old.name, 70, 2) || ' ' || "
            "substr(old.name, 71, 2) || ' ' || substr(old.name, 72, 2) || ' ' || "
            "substr(old.name, 73, 2) || ' ' || substr(old.name, 74, 2) || ' ' || "
            "substr(old.name, 75, 2) || ' ' || substr(old.name, 76, 2) || ' ' || "
            "substr(old.name, 77, 2) || ' ' || substr(old.name, 78, 2) || ' ' || "
            "substr(old.name, 79, 2), '')); END",
            'CREATE TRIGGER IF NOT EXISTS units_grams_au AFTER UPDATE OF name ON units BEGIN '
            "SELECT RAISE(ABORT, 'units.name is longer than 80') WHERE length(new.name) > 80; "
            "INSERT INTO units_grams(units_grams, rowid, name) VALUES ('delete', old.id, "
            "coalesce(substr(old.name, 1, 1) || ' ' || substr(old.name, 2, 1) || ' ' || "
            "substr(old.name, 3, 1) || ' ' || substr(old.name, 4, 1) || ' ' || substr(old.name, "
            "5, 1) || ' ' || substr(old.name, 6, 1) || ' ' || substr(old.name, 7, 1) || ' ' || "
            "substr(old.name, 8, 1) || ' ' || substr(old.name, 9, 1) || ' ' || substr(old.name, "
            "10, 1) || ' ' || substr(old.name, 11, 1) || ' ' || substr(old.name, 12, 1) || ' ' "
            "|| substr(old.name, 13, 1) || ' ' || substr(old.name, 14, 1) || ' ' || "
            "substr(old.name, 15, 1) || ' ' || substr(old.name, 16, 1) || ' ' || "
            "substr(old.name, 17, 1) || ' ' || substr(old.name, 18, 1) || ' ' || "
            "substr(old.name, 19, 1) || ' ' || substr(old.name, 20, 1) || ' ' || "
            "substr(old.name, 21, 1) || ' ' || substr(old.name, 22, 1) || ' ' || "
            "substr(old.name, 23, 1) || ' ' || substr(old.name, 24, 1) || ' ' || "
            "substr(old.name, 25, 1) || ' ' || substr(old.name, 26, 1) || ' ' || "
            "substr(old.name, 27, 1) || ' ' || substr(old.name, 28, 1) || ' ' || "
            "substr(old.name, 29, 1) || ' ' || substr(old.name, 30, 1) || ' ' || "
            "substr(old.name, 31, 1) || ' ' || substr(old.name, 32, 1) || ' ' || "
            "substr(old.name, 33, 1) || ' ' || substr(old.name, 34, 1) || ' ' || "
            "substr(old.name, 35, 1) || ' ' || substr(old.name, 36, 1) || ' ' || "
            "substr(old.name, 37, 1) || ' ' || substr(old.name, 38, 1) || ' ' || "
            "substr(old.name, 39, 1) || ' ' || substr(old.name, 40, 1) || ' ' || "
            "substr(old.name, 41, 1) || ' ' || substr(old.name, 42, 1) || ' ' || "
            "substr(old.name, 43, 1) || ' ' || substr(old.name, 44, 1) || ' ' || "
            "substr(old.name, 45, 1) || ' ' || substr(old.name, 46, 1) || ' ' || "
            "substr(old.name, 47, 1) || ' ' || substr(old.name, 48, 1) || ' ' || "
            "substr(old.name, 49, 1) || ' ' || substr(old.name, 50, 1) || ' ' || "
            "substr(old.name, 51, 1) || ' ' || substr(old.name, 52, 1) || ' ' || "
            "substr(old.name, 53, 1) || ' ' || substr(old.name, 54, 1) || ' ' || "
            "substr(old.name, 55, 1) || ' ' || substr(old.name, 56, 1) || ' ' || "
            "substr(old.name, 57, 1) || ' ' || substr(old.name, 58, 1) || ' ' || "
            "substr(old.name, 59, 1) || ' ' || substr(old.name, 60, 1) || ' ' || "
            "substr(old.name, 61, 1) || ' ' || substr(old.name, 62, 1) || ' ' || "
            "substr(old.name, 63, 1) || ' ' || substr(old.name, 64, 1) || ' ' || "
            "substr(old.name, 65, 1) || ' ' || substr(old.name, 66, 1) || ' ' || "
            "substr(old.name, 67, 1) || ' ' || substr(old.name, 68, 1) || ' ' || "
            "substr(old.name, 69, 1) || ' ' || substr(old.name, 70, 1) || ' ' || "
            "substr(old.name, 71, 1) || ' ' || substr(old.name, 72, 1) || ' ' || "
            "substr(old.name, 73, 1) || ' ' || substr(old.name, 74, 1) || ' ' || "
            "substr(old.name, 75, 1) || ' ' || substr(old.name, 76, 1) || ' ' || "
            "substr(old.name, 77, 1) || ' ' || substr(old.name, 78, 1) || ' ' || "
            "substr(old.name, 79, 1) || ' ' || substr(old.name, 80, 1) || ' ' || "
            "substr(old.name, 1, 2) || ' ' || substr(old.name, 2, 2) || ' ' || substr(old.name, "
            "3, 2) || ' ' || substr(old.name, 4, 2) || ' ' || substr(old.name, 5, 2) || ' ' || "
            "substr(old.name, 6, 2) || ' ' || substr(old.name, 7, 2) || ' ' || substr(old.name, "
            "8, 2) || ' ' || substr(old.name, 9, 2) || ' ' || substr(old.name, 10, 2) || ' ' || "
            "substr(old.name, 11, 2) || ' ' || substr(old.name, 12, 2) || ' ' || "
            "substr(old.name, 13, 2) || ' ' || substr(old.name, 14, 2) || ' ' || "
            "substr(old.name, 15, 2) || ' ' || substr(old.name, 16, 2) || ' ' || "
            "substr(old.name, 17, 2) || ' ' || substr(old.name, 18, 2) || ' ' || "
            "substr(old.name, 19, 2) || ' ' || substr(old.name, 20, 2) || ' ' || "
            "substr(old.name, 21, 2) || ' ' || substr(old.name, 22, 2) || ' ' || "
            "substr(old.name, 23, 2) || ' ' || substr(old.name, 24, 2) || ' ' || "
            "substr(old.name, 25, 2) || ' ' || substr(old.name, 26, 2) || ' ' || "
            "substr(old.name, 27, 2) || ' ' || substr(old.name, 28, 2) || ' ' || "
            "substr(old.name, 29, 2) || ' ' || substr(old.name, 30, 2) || ' ' || "
            "substr(old.name, 31, 2) || ' ' || substr(old.name, 32, 2) || ' ' || "
            "substr(old.name, 33, 2) || ' ' || substr(old.name, 34, 2) || ' ' || "
            "substr(old.name, 35, 2) || ' ' || substr(old.name, 36, 2) || ' ' || "
            "substr(old.name, 37, 2) || ' ' || substr(old.name, 38, 2) || ' ' || "
            "substr(old.name, 39, 2) || ' ' || substr(old.name, 40, 2) || ' ' || "
            "substr(old.name, 41, 2) || ' ' || substr(old.name, 42, 2) || ' ' || "
            "substr(old.name, 43, 2) || ' ' || substr(old.name, 44, 2) || ' ' || "
            "substr(old.name, 45, 2) || ' ' || substr(old.name, 46, 2) || ' ' || "
            "substr(old.name, 47, 2) || ' ' || substr(old.name, 48, 2) || ' ' || "
            "substr(old.name, 49, 2) || ' ' || substr(old.name, 50, 2) || ' ' || "
            "substr(old.name, 51, 2) || ' ' || substr(old.name, 52, 2) || ' ' || "
            "substr(old.name, 53, 2) || ' ' || substr(old.name, 54, 2) || ' ' || "
            "substr(old.name, 55, 2) || ' ' || substr(old.name, 56, 2) || ' ' || "
            "substr(old.name, 57, 2) || ' ' || substr(old.name, 58, 2) || ' ' || "
            "substr(old.name, 59, 2) || ' ' || substr(old.name, 60, 2) || ' ' || "
            "substr(old.name, 61, 2) || ' ' || substr(old.name, 62, 2) || ' ' || "
            "substr(old.name, 63, 2) || ' ' || substr(old.name, 64, 2) || ' ' || "
            "substr(old.name, 65, 2) || ' ' || substr(old.name, 66, 2) || ' ' || "
            "substr(old.name, 67, 2) || ' ' || substr(old.name, 68, 2) || ' ' || "
            "substr(old.name, 69, 2) || ' ' || substr(old.name, 70, 2) || ' ' || "
            "substr(old.name, 71, 2) || ' ' || substr(old.name, 72, 2) || ' ' || "
            "substr(old.name, 73, 2) || ' ' || substr(old.name, 74, 2) || ' ' || "
            "substr(old.name, 75, 2) || ' ' || substr(old.name, 76, 2) || ' ' || "
            "substr(old.name, 77, 2) || ' ' || substr(old.name, 78, 2) || ' ' || "
            "substr(old.name, 79, 2), '')); INSERT INTO units_grams(rowid, name) VALUES (new.id, "
            "coalesce(substr(new.name, 1, 1) || ' ' || substr(new.name, 2, 1) || ' ' || "
            "substr(new.name, 3, 1) || ' ' || substr(new.name, 4, 1) || ' ' || substr(new.name, "
            "5, 1) || ' ' || substr(new.name, 6, 1) || ' ' || substr(new.name, 7, 1) || ' ' || "
            "substr(new.name, 8, 1) || ' ' || substr(new.name, 9, 1) || ' ' || substr(new.name, "
            "10, 1) || ' ' || substr(new.name, 11, 1) || ' ' || substr(new.name, 12, 1) || ' ' "
            "|| substr(new.name, 13, 1) || ' ' || substr(new.name, 14, 1) || ' ' || "
            "substr(new.name, 15, 1) || ' ' || substr(new.name, 16, 1) || ' ' || "
            "substr(new.name, 17, 1) || ' ' || substr(new.name, 18, 1) || ' ' || "
            "substr(new.name, 19, 1) || ' ' || substr(new.name, 20, 1) || ' ' || "
            "substr(new.name, 21, 1) || ' ' || substr(new.name, 22, 1) || ' ' || "
            "substr(new.name, 23, 1) || ' ' || substr(new.name, 24, 1) || ' ' || "
            "substr(new.name, 25, 1) || ' ' || substr(new.name, 26, 1) || ' ' || "
            "substr(new.name, 27, 1) || ' ' || substr(new.name, 28, 1) || ' ' || "
            "substr(new.name, 29, 1) || ' ' || substr(new.name, 30, 1) || ' ' || "
            "substr(new.name, 31, 1) || ' ' || substr(new.name, 32, 1) || ' ' || "
            "substr(new.name, 33, 1) || ' ' || substr(new.name, 34, 1) || ' ' || "
            "substr(new.name, 35, 1) || ' ' || substr(new.name, 36, 1) || ' ' || "
            "substr(new.name, 37, 1) || ' ' || substr(new.name, 38, 1) || ' ' || "
            "substr(new.name, 39, 1) || ' ' || substr(new.name, 40, 1) || ' ' || "
            "substr(new.name, 41, 1) || ' ' || substr(new.name, 42, 1) || ' ' || "
            "substr(new.name, 43, 1) || ' ' || substr(new.name, 44, 1) || ' ' || "
            "substr(new.name, 45, 1) || ' ' || substr(new.name, 46, 1) || ' ' || "
            "substr(new.name, 47, 1) || ' ' || substr(new.name, 48, 1) || ' ' || "
            "substr(new.name, 49, 1) || ' ' || substr(new.name, 50, 1) || ' ' || "
            "substr(new.name, 51, 1) || ' ' || substr(new.name, 52, 1) || ' ' || "
            "substr(new.name, 53, 1) || ' ' || substr(new.name, 54, 1) || ' ' || "
            "substr(new.name, 55, 1) || ' ' || substr(new.name, 56, 1) || ' ' || "
            "substr(new.name, 57, 1) || ' ' || substr(new.name, 58, 1) || ' ' || "
            "substr(new.name, 59, 1) || ' ' || substr(new.name, 60, 1) || ' ' || "
            "substr(new.name, 61, 1) || ' ' || substr(new.name, 62, 1) || ' ' || "
            "substr(new.name, 63, 1) || ' ' || substr(new.name, 64, 1) || ' ' || "
            "substr(new.name, 65, 1) || ' ' || substr(new.name, 66, 1) || ' ' || "
            "substr(new.name, 67, 1) || ' ' || substr(new.name, 68, 1) || ' ' || "
            "substr(new.name, 69, 1) || ' ' || substr(new.name, 70, 1) || ' ' || "
            "substr(new.name, 71, 1) || ' ' || substr(new.name, 72, 1) || ' ' || "
            "substr(new.name, 73, 1) || ' ' || substr(new.name, 74, 1) || ' ' || "
            "substr(new.name, 75, 1) || ' ' || substr(new.name, 76, 1) || ' ' || "
            "substr(new.name, 77, 1) || ' ' || substr(new.name, 78, 1) || ' ' || "
            "substr(new.name, 79, 1) || ' ' || substr(new.name, 80, 1) || ' ' || "
            "substr(new.name, 1, 2) || ' ' || substr(new.name, 2, 2) || ' ' || substr(new.name, "
            "3, 2) || ' ' || substr(new.name, 4, 2) || ' ' || substr(new.name, 5, 2) || ' ' || "
            "substr(new.name, 6, 2) || ' ' || substr(new.name, 7, 2) || ' ' || substr(new.name, "
            "8, 2) || ' ' || substr(new.name, 9, 2) || ' ' || substr(new.name, 10, 2) || ' ' || "
            "substr(new.name, 11, 2) || ' ' || substr(new.name, 12, 2) || ' ' || "
            "substr(new.name, 13, 2) || ' ' || substr(new.name, 14, 2) || ' ' || "
            "substr(new.name, 15, 2) || ' ' || substr(new.name, 16, 2) || ' ' || "
            "substr(new.name, 17, 2) || ' ' || substr(new.name, 18, 2) || ' ' || "
            "substr(new.name, 19, 2) || ' ' || substr(new.name, 20, 2) || ' ' || "
            "substr(new.name, 21, 2) || ' ' || substr(new.name, 22, 2) || ' ' || "
            "substr(new.name, 23, 2) || ' ' || substr(new.name, 24, 2) || ' ' || "
            "substr(new.name, 25, 2) || ' ' || substr(new.name, 26, 2) || ' ' || "
            "substr(new.name, 27, 2) || ' ' || substr(new.name, 28, 2) || ' ' || "
            "substr(new.name, 29, 2) || ' ' || substr(new.name, 30, 2) || ' ' || "
            "substr(new.name, 31, 2) || ' ' || substr(new.name, 32, 2) || ' ' || "
            "substr(new.name, 33, 2) || ' ' || substr(new.name, 34, 2) || ' ' || "
            "substr(new.name, 35, 2) || ' ' || substr(new.name, 36, 2) || ' ' || "
            "substr(new.name, 37, 2) || ' ' || substr(new.name, 38, 2) || ' ' || "
            "substr(new.name, 39, 2) || ' ' || substr(new.name, 40, 2) || ' ' || "
            "substr(new.name, 41, 2) || ' ' || substr(new.name, 42, 2) || ' ' || "
            "substr(new.name, 43, 2) || ' ' || substr(new.name, 44, 2) || ' ' || "
            "substr(new.name, 45, 2) || ' ' || substr(new.name, 46, 2) || ' ' || "
            "substr(new.name, 47, 2) || ' ' || substr(new.name, 48, 2) || ' ' || "
            "substr(new.name, 49, 2) || ' ' || substr(new.name, 50, 2) || ' ' || "
            "substr(new.name, 51, 2) || ' ' || substr(new.name, 52, 2) || ' ' || "
            "substr(new.name, 53, 2) || ' ' || substr(new.name, 54, 2) || ' ' || "
            "substr(new.name, 55, 2) || ' ' || substr(new.name, 56, 2) || ' ' || "
            "substr(new.name, 57, 2) || ' ' || substr(new.name, 58, 2) || ' ' || "
            "substr(new.name, 59, 2) || ' ' || substr(new.name, 60, 2) || ' ' || "
            "substr(new.name, 61, 2) || ' ' || substr(new.name, 62, 2) || ' ' || "
            "substr(new.name, 63, 2) || ' ' || substr(new.name, 64, 2) || ' ' || "
            "substr(new.name, 65, 2) || ' ' || substr(new.name, 66, 2) || ' ' || "
            "substr(new.name, 67, 2) || ' ' || substr(new.name, 68, 2) || ' ' || "
            "substr(new.name, 69, 2) || ' ' || substr(new.name, 70, 2) || ' ' || "
            "substr(new.name, 71, 2) || ' ' || substr(new.name, 72, 2) || ' ' || "
            "substr(new.name, 73, 2) || ' ' || substr(new.name, 74, 2) || ' ' || "
            "substr(new.name, 75, 2) || ' ' || substr(new.name, 76, 2) || ' ' || "
            "substr(new.name, 77, 2) || ' ' || substr(new.name, 78, 2) || ' ' || "
            "substr(new.name, 79, 2), '')); END"]}
SEARCH_DROP = {'postgresql': ['DROP FUNCTION IF EXISTS wg_pieces(text) CASCADE',
                'DROP FUNCTION IF EXISTS wg_tagged(integer, text) CASCADE'],
 'sqlite': ['DROP TABLE IF EXISTS users_fts',
            'DROP TABLE IF EXISTS users_grams',
            'DROP TABLE IF EXISTS wishes_fts',
            'DROP TABLE IF EXISTS wishes_grams',
            'DROP TABLE IF EXISTS orgs_fts',
            'DROP TABLE IF EXISTS orgs_grams',
            'DROP TABLE IF EXISTS units_fts',
            'DROP TABLE IF EXISTS units_grams',
            'DROP VIEW IF EXISTS wishes_fts_src',
            'DROP VIEW IF EXISTS users_fts_src']}

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('job_leases',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('owner', sa.String(length=80), nullable=True),
    sa.Column('until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_leases'))
    )
    op.create_table('orgs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('street_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('data_version', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('households', sa.Integer(), server_default='0', nullable=False),
    sa.Column('unpaired', sa.Integer(), server_default='0', nullable=False),
    sa.Column('people', sa.Integer(), server_default='0', nullable=False),
    sa.Column('not_activated', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['orgs.id'], name=op.f('fk_orgs_parent_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orgs'))
    )
    with op.batch_alter_table('orgs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orgs_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orgs_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orgs_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_orgs_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orgs_street_id'), ['street_id'], unique=False)

    op.create_table('wechat_cache',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.String(length=1000), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_wechat_cache'))
    )
    op.create_table('building_visits',
    sa.Column('building_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('visited', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['orgs.id'], name=op.f('fk_building_visits_building_id_orgs')),
    sa.PrimaryKeyConstraint('building_id', 'year', name=op.f('pk_building_visits'))
    )
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=40), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('auto_publish', sa.Boolean(), nullable=False),
    sa.Column('requires_insurance', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_categories_community_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('community_id', 'name', name=op.f('uq_categories_community_id_name'))
    )
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_categories_community_id'), ['community_id'], unique=False)

    op.create_table('ledger_chains',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('cert_seq', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_ledger_chains_community_id_orgs')),
    sa.PrimaryKeyConstraint('community_id', name=op.f('pk_ledger_chains'))
    )
    op.create_table('ledger_months',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('service_month', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=12, scale=1), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_ledger_months_community_id_orgs')),
    sa.PrimaryKeyConstraint('community_id', 'service_month', name=op.f('pk_ledger_months')),
    sqlite_with_rowid=False
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('contact_name', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_units_community_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_community_id'), ['community_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=120), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('unit_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unit_confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('skills', sa.Text(), nullable=True),
    sa.Column('availability', sa.JSON(), nullable=True),
    sa.Column('volunteer_no', sa.String(length=20), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('elder_mode', sa.Boolean(), nullable=False),
    sa.Column('session_gen', sa.Integer(), server_default='0', nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('password_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('phone_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sms_contact_phone', sa.String(length=20), nullable=True),
    sa.Column('sms_contact_name', sa.String(length=40), nullable=True),
    sa.Column('sms_contact_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sms_contact_by_id', sa.Integer(), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('geo_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sms_bad_number', sa.String(length=20), nullable=True),
    sa.Column('sensitive_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('totp_enabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('totp_last_step', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['building_id'], ['orgs.id'], name=op.f('fk_users_building_id_orgs')),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_users_community_id_orgs')),
    sa.ForeignKeyConstraint(['sms_contact_by_id'], ['users.id'], name=op.f('fk_users_sms_contact_by_id_users')),
    sa.ForeignKeyConstraint(['unit_confirmed_by_id'], ['users.id'], name=op.f('fk_users_unit_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_users_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('phone', name=op.f('uq_users_phone')),
    sa.UniqueConstraint('volunteer_no', name=op.f('uq_users_volunteer_no'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_building_id', ['building_id', 'id'], unique=False)
        batch_op.create_index('ix_users_community_activation', ['community_id', 'active', 'activated_at', 'building_id'], unique=False)
        batch_op.create_index('ix_users_community_name', ['community_id', 'name', 'id'], unique=False)
        batch_op.create_index('ix_users_sms_contact_by_id', ['sms_contact_by_id'], unique=False, sqlite_where=sa.text('sms_contact_by_id IS NOT NULL'), postgresql_where=sa.text('sms_contact_by_id IS NOT NULL'))
        batch_op.create_index('ix_users_unit_confirmed_by_id', ['unit_confirmed_by_id'], unique=False, sqlite_where=sa.text('unit_confirmed_by_id IS NOT NULL'), postgresql_where=sa.text('unit_confirmed_by_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_users_unit_id'), ['unit_id'], unique=False)

    op.create_table('admin_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('street_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('target_user_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_admin_log_actor_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_admin_log_org_id_orgs')),
    sa.ForeignKeyConstraint(['target_user_id'], ['users.id'], name=op.f('fk_admin_log_target_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_log'))
    )
    with op.batch_alter_table('admin_log', schema=None) as batch_op:
        batch_op.create_index('ix_admin_log_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index('ix_admin_log_community_at', ['community_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_log_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_admin_log_street_at', ['street_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_log_target_user_id'), ['target_user_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('board_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_board_consents_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_consents')),
    sa.UniqueConstraint('user_id', name=op.f('uq_board_consents_user_id'))
    )
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feeds_token')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id'))
    )
    op.create_table('care_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=16), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_care_tags_community_id_orgs')),
    sa.ForeignKeyConstraint(['household_id'], ['users.id'], name=op.f('fk_care_tags_household_id_users')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_care_tags_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_tags')),
    sa.UniqueConstraint('household_id', 'tag', name=op.f('uq_care_tags_household_id_tag'))
    )
    with op.batch_alter_table('care_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_tags_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_tags_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_care_tags_set_by_id', ['set_by_id'], unique=False, sqlite_where=None, postgresql_where=None)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=9, scale=1), nullable=False),
    sa.Column('services', sa.Integer(), nullable=False),
    sa.Column('presence_hours', sa.Numeric(precision=9, scale=1), nullable=False),
    sa.Column('honour_hours', sa.Numeric(precision=9, scale=1), nullable=False),
    sa.Column('content', sa.String(length=300), nullable=False),
    sa.Column('issuer_name', sa.String(length=80), nullable=False),
    sa.Column('head_name', sa.String(length=40), nullable=False),
    sa.Column('officer_name', sa.String(length=40), nullable=False),
    sa.Column('contact', sa.String(length=40), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_reason', sa.String(length=200), nullable=True),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_certificates_community_id_orgs')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_certificates_volunteer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('number', name=op.f('uq_certificates_number')),
    sa.UniqueConstraint('token', name=op.f('uq_certificates_token'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_certificates_issued_by_id', ['issued_by_id'], unique=False, sqlite_where=None, postgresql_where=None)
        batch_op.create_index('ix_certificates_revoked_by_id', ['revoked_by_id'], unique=False, sqlite_where=sa.text('revoked_by_id IS NOT NULL'), postgresql_where=sa.text('revoked_by_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_certificates_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('community_seals',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('mime', sa.String(length=20), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_community_seals_community_id_orgs')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_community_seals_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('community_id', name=op.f('pk_community_seals'))
    )
    with op.batch_alter_table('community_seals', schema=None) as batch_op:
        batch_op.create_index('ix_community_seals_uploaded_by_id', ['uploaded_by_id'], unique=False, sqlite_where=None, postgresql_where=None)

    op.create_table('evaluation_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('thresholds', sa.JSON(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_evaluation_rounds_community_id_orgs')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_evaluation_rounds_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_rounds')),
    sa.UniqueConstraint('community_id', 'year', name=op.f('uq_evaluation_rounds_community_id_year'))
    )
    with op.batch_alter_table('evaluation_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_rounds_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_evaluation_rounds_opened_by_id', ['opened_by_id'], unique=False, sqlite_where=None, postgresql_where=None)

    op.create_table('export_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('fmt', sa.String(length=4), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('file_path', sa.String(length=300), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_export_jobs_community_id_orgs')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_export_jobs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs'))
    )
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_jobs_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_jobs_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_jobs_status'), ['status'], unique=False)

    op.create_table('honour_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_honour_notices_community_id_orgs')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_honour_notices_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_notices'))
    )
    with op.batch_alter_table('honour_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honour_notices_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_honour_notices_created_by_id', ['created_by_id'], unique=False, sqlite_where=None, postgresql_where=None)
        batch_op.create_index(batch_op.f('ix_honour_notices_status'), ['status'], unique=False)

    op.create_table('import_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=14), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('plan_hash', sa.String(length=64), nullable=True),
    sa.Column('layout', sa.JSON(), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retry_as', sa.String(length=14), nullable=True),
    sa.Column('skip_bad', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_import_jobs_org_id_orgs')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_import_jobs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs'))
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_jobs_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_status'), ['status'], unique=False)

    op.create_table('insurance_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('insurer', sa.String(length=60), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('covers_from', sa.Date(), nullable=False),
    sa.Column('covers_to', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('covers_to >= covers_from', name=op.f('ck_insurance_policies_cover_in_order')),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_insurance_policies_community_id_orgs')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_insurance_policies_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_insurance_policies_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_policies')),
    sa.UniqueConstraint('community_id', 'number', 'user_id', name=op.f('uq_insurance_policies_community_id_number_user_id'))
    )
    with op.batch_alter_table('insurance_policies', schema=None) as batch_op:
        batch_op.create_index('ix_insurance_cover', ['user_id', 'covers_from', 'covers_to'], unique=False)
        batch_op.create_index(batch_op.f('ix_insurance_policies_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_insurance_policies_recorded_by_id', ['recorded_by_id'], unique=False, sqlite_where=None, postgresql_where=None)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_invitations_org_id_orgs')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index('ix_invitations_invited_by_id', ['invited_by_id'], unique=False, sqlite_where=sa.text('invited_by_id IS NOT NULL'), postgresql_where=sa.text('invited_by_id IS NOT NULL'))
        batch_op.create_index('ix_invitations_user_status', ['user_id', 'status'], unique=False)

    op.create_table('ledger_checks',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=True),
    sa.Column('broken', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_ledger_checks_community_id_orgs')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_ledger_checks_requested_by_id_users')),
    sa.PrimaryKeyConstraint('community_id', name=op.f('pk_ledger_checks'))
    )
    with op.batch_alter_table('ledger_checks', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_checks_requested_by_id', ['requested_by_id'], unique=False, sqlite_where=sa.text('requested_by_id IS NOT NULL'), postgresql_where=sa.text('requested_by_id IS NOT NULL'))

    op.create_table('ledger_points',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('service_month', sa.Integer(), nullable=False),
    sa.Column('points', sa.Numeric(precision=12, scale=1), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_ledger_points_community_id_orgs')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_ledger_points_volunteer_id_users')),
    sa.PrimaryKeyConstraint('community_id', 'volunteer_id', 'service_month', name=op.f('pk_ledger_points')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('ledger_points', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_points_month', ['community_id', 'service_month', 'volunteer_id', 'points'], unique=False)
        batch_op.create_index('ix_ledger_points_volunteer_id', ['volunteer_id'], unique=False, sqlite_where=None, postgresql_where=None)

    op.create_table('ledger_services',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('service_month', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('services', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=12, scale=1), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_ledger_services_community_id_orgs')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_ledger_services_volunteer_id_users')),
    sa.PrimaryKeyConstraint('community_id', 'service_month', 'volunteer_id', name=op.f('pk_ledger_services')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('ledger_services', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_services_volunteer_id', ['volunteer_id'], unique=False, sqlite_where=None, postgresql_where=None)

    op.create_table('ledger_totals',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=12, scale=1), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_ledger_totals_community_id_orgs')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_ledger_totals_volunteer_id_users')),
    sa.PrimaryKeyConstraint('community_id', 'volunteer_id', name=op.f('pk_ledger_totals'))
    )
    with op.batch_alter_table('ledger_totals', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_totals_rank', ['community_id', 'hours'], unique=False)
        batch_op.create_index('ix_ledger_totals_volunteer_id', ['volunteer_id'], unique=False, sqlite_where=None, postgresql_where=None)

    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('muted_events', sa.JSON(), nullable=False),
    sa.Column('quiet_start', sa.String(length=5), nullable=True),
    sa.Column('quiet_end', sa.String(length=5), nullable=True),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('skills_match', sa.Boolean(), nullable=False),
    sa.Column('sms_off_events', sa.JSON(), nullable=True),
    sa.Column('digest_events', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preferences'))
    )
    op.create_table('pairings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('live', sa.Boolean(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_pairings_community_id_orgs')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pairings_created_by_id_users')),
    sa.ForeignKeyConstraint(['household_id'], ['users.id'], name=op.f('fk_pairings_household_id_users')),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_pairings_member_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairings')),
    sa.UniqueConstraint('household_id', 'live', name=op.f('uq_pairings_household_id_live'))
    )
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairings_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_pairings_creator', ['created_by_id', 'community_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairings_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_pairings_member_status', ['member_id', 'status'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('standard', sa.Text(), nullable=False),
    sa.Column('target', sa.String(length=100), nullable=False),
    sa.Column('target_per_month', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('responsible_name', sa.String(length=40), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('rrule', sa.String(length=200), nullable=False),
    sa.Column('start', sa.String(length=5), nullable=False),
    sa.Column('end', sa.String(length=5), nullable=False),
    sa.Column('session_capacity', sa.Integer(), nullable=False),
    sa.Column('server_capacity', sa.Integer(), nullable=False),
    sa.Column('any_member', sa.Boolean(), nullable=False),
    sa.Column('requires_insurance', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('superseded', sa.Boolean(), nullable=False),
    sa.Column('community_signed_by_id', sa.Integer(), nullable=True),
    sa.Column('unit_signed_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('session_capacity >= 1', name=op.f('ck_projects_project_capacity_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_projects_category_id_categories')),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_projects_community_id_orgs')),
    sa.ForeignKeyConstraint(['community_signed_by_id'], ['users.id'], name=op.f('fk_projects_community_signed_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_projects_created_by_id_users')),
    sa.ForeignKeyConstraint(['previous_id'], ['projects.id'], name=op.f('fk_projects_previous_id_projects')),
    sa.ForeignKeyConstraint(['responsible_id'], ['users.id'], name=op.f('fk_projects_responsible_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_projects_unit_id_units')),
    sa.ForeignKeyConstraint(['unit_signed_by_id'], ['users.id'], name=op.f('fk_projects_unit_signed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_projects_community_signed_by_id', ['community_signed_by_id'], unique=False, sqlite_where=sa.text('community_signed_by_id IS NOT NULL'), postgresql_where=sa.text('community_signed_by_id IS NOT NULL'))
        batch_op.create_index('ix_projects_created_by_id', ['created_by_id'], unique=False, sqlite_where=None, postgresql_where=None)
        batch_op.create_index('ix_projects_responsible_id', ['responsible_id'], unique=False, sqlite_where=sa.text('responsible_id IS NOT NULL'), postgresql_where=sa.text('responsible_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_projects_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('ix_projects_unit_signed_by_id', ['unit_signed_by_id'], unique=False, sqlite_where=sa.text('unit_signed_by_id IS NOT NULL'), postgresql_where=sa.text('unit_signed_by_id IS NOT NULL'))

    op.create_table('push_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=1000), nullable=False),
    sa.Column('p256dh', sa.String(length=200), nullable=False),
    sa.Column('auth', sa.String(length=100), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_ack_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('silent_pushes', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_push_subscriptions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscriptions_endpoint'))
    )
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscriptions_user_id'), ['user_id'], unique=False)

    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_registrations_community_id_orgs')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_registrations_decided_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_registrations_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_registrations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrations_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_registrations_decided_by_id', ['decided_by_id'], unique=False, sqlite_where=sa.text('decided_by_id IS NOT NULL'), postgresql_where=sa.text('decided_by_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_registrations_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_registrations_user_id'), ['user_id'], unique=False)

    op.create_table('resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('photo_url', sa.String(length=300), nullable=True),
    sa.Column('open_to', sa.JSON(), nullable=False),
    sa.Column('needs_approval', sa.Boolean(), nullable=False),
    sa.Column('cancel_hours', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_resources_community_id_orgs')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_resources_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_resources_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resources'))
    )
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resources_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_resources_created_by_id', ['created_by_id'], unique=False, sqlite_where=None, postgresql_where=None)
        batch_op.create_index(batch_op.f('ix_resources_unit_id'), ['unit_id'], unique=False)

    op.create_table('role_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_role_grants_granted_by_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_role_grants_org_id_orgs')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_role_grants_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_grants_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grants')),
    sa.UniqueConstraint('user_id', 'role', 'org_id', 'unit_id', name=op.f('uq_role_grants_user_id_role_org_id_unit_id'))
    )
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.create_index('ix_role_grants_granted_by_id', ['granted_by_id'], unique=False, sqlite_where=sa.text('granted_by_id IS NOT NULL'), postgresql_where=sa.text('granted_by_id IS NOT NULL'))
        batch_op.create_index('ix_role_grants_org_role', ['org_id', 'role', 'active', 'user_id'], unique=False)
        batch_op.create_index('ix_role_grants_unit', ['unit_id', 'role'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_grants_user_id'), ['user_id'], unique=False)

    op.create_table('shop_accounts',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('balance', sa.Numeric(precision=12, scale=1), nullable=False),
    sa.Column('expired', sa.Numeric(precision=12, scale=1), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_shop_accounts_community_id_orgs')),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_shop_accounts_member_id_users')),
    sa.PrimaryKeyConstraint('community_id', 'member_id', name=op.f('pk_shop_accounts'))
    )
    with op.batch_alter_table('shop_accounts', schema=None) as batch_op:
        batch_op.create_index('ix_shop_accounts_member_id', ['member_id'], unique=False, sqlite_where=None, postgresql_where=None)
        batch_op.create_index(batch_op.f('ix_shop_accounts_valid_until'), ['valid_until'], unique=False)

    op.create_table('shop_goods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('photo_url', sa.String(length=300), nullable=True),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('photo_type', sa.String(length=20), nullable=True),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('donated', sa.Integer(), nullable=False),
    sa.Column('monthly_limit', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('offered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_shop_goods_ck_shop_goods_stock')),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_shop_goods_community_id_orgs')),
    sa.ForeignKeyConstraint(['offered_by_id'], ['users.id'], name=op.f('fk_shop_goods_offered_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_shop_goods_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_goods'))
    )
    with op.batch_alter_table('shop_goods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_goods_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_shop_goods_offered_by_id', ['offered_by_id'], unique=False, sqlite_where=sa.text('offered_by_id IS NOT NULL'), postgresql_where=sa.text('offered_by_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_shop_goods_unit_id'), ['unit_id'], unique=False)

    op.create_table('shop_lapses',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('points', sa.Numeric(precision=12, scale=1), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_shop_lapses_community_id_orgs')),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_shop_lapses_member_id_users')),
    sa.PrimaryKeyConstraint('community_id', 'member_id', 'at', name=op.f('pk_shop_lapses'))
    )
    with op.batch_alter_table('shop_lapses', schema=None) as batch_op:
        batch_op.create_index('ix_shop_lapses_member_id', ['member_id'], unique=False, sqlite_where=None, postgresql_where=None)
        batch_op.create_index('ix_shop_lapses_when', ['community_id', 'at'], unique=False)

    op.create_table('signin_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=12), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_signin_codes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signin_codes'))
    )
    with op.batch_alter_table('signin_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signin_codes_code_hash'), ['code_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_signin_codes_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_signin_codes_user_id'), ['user_id'], unique=False)

    op.create_table('wechat_bindings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('app_id', sa.String(length=32), nullable=False),
    sa.Column('openid', sa.String(length=64), nullable=False),
    sa.Column('subscribed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_wechat_bindings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wechat_bindings')),
    sa.UniqueConstraint('app_id', 'openid', name=op.f('uq_wechat_bindings_app_id_openid')),
    sa.UniqueConstraint('user_id', 'app_id', name=op.f('uq_wechat_bindings_user_id_app_id'))
    )
    with op.batch_alter_table('wechat_bindings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wechat_bindings_user_id'), ['user_id'], unique=False)

    op.create_table('wishes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('value_yuan', sa.Integer(), nullable=True),
    sa.Column('estimated_hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('wanted_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('wanted_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('posted_by_id', sa.Integer(), nullable=False),
    sa.Column('on_behalf', sa.Boolean(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=False),
    sa.Column('reject_reason', sa.String(length=200), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('comment', sa.String(length=300), nullable=True),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('sensitive', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('sensitive_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_uuid', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_wishes_capacity_positive')),
    sa.CheckConstraint('taken >= 0 AND taken <= capacity', name=op.f('ck_wishes_taken_within_capacity')),
    sa.ForeignKeyConstraint(['building_id'], ['orgs.id'], name=op.f('fk_wishes_building_id_orgs')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_wishes_category_id_categories')),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_wishes_community_id_orgs')),
    sa.ForeignKeyConstraint(['grid_id'], ['orgs.id'], name=op.f('fk_wishes_grid_id_orgs')),
    sa.ForeignKeyConstraint(['posted_by_id'], ['users.id'], name=op.f('fk_wishes_posted_by_id_users')),
    sa.ForeignKeyConstraint(['resident_id'], ['users.id'], name=op.f('fk_wishes_resident_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wishes')),
    sa.UniqueConstraint('client_uuid', name=op.f('uq_wishes_client_uuid'))
    )
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wishes_building_id'), ['building_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_wishes_done', ['community_id', 'status', 'done_at', 'category_id'], unique=False)
        batch_op.create_index('ix_wishes_grid_status', ['grid_id', 'status', 'published_at', 'id'], unique=False)
        batch_op.create_index('ix_wishes_menu', ['community_id', 'status', 'published_at', 'id'], unique=False)
        batch_op.create_index('ix_wishes_open_times', ['community_id', 'status', 'deadline', 'wanted_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_posted_by_id'), ['posted_by_id'], unique=False)
        batch_op.create_index('ix_wishes_published', ['community_id', 'published_at', 'status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_wishes_staff', ['community_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_wishes_staff_status', ['community_id', 'status', 'created_at', 'id'], unique=False)

    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('claimed_by_id', sa.Integer(), nullable=False),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_by_code', sa.Boolean(), nullable=False),
    sa.Column('done_by_code', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['users.id'], name=op.f('fk_claims_claimed_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_claims_unit_id_units')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_claims_volunteer_id_users')),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_claims_wish_id_wishes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('wish_id', 'volunteer_id', name=op.f('uq_claims_wish_id_volunteer_id'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_claimed_by_id', ['claimed_by_id'], unique=False, sqlite_where=None, postgresql_where=None)
        batch_op.create_index(batch_op.f('ix_claims_status'), ['status'], unique=False)
        batch_op.create_index('ix_claims_unit_status', ['unit_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_volunteer_id'), ['volunteer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_wish_id'), ['wish_id'], unique=False)

    op.create_table('evaluation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_evaluation_events_actor_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['evaluation_rounds.id'], name=op.f('fk_evaluation_events_round_id_evaluation_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_events'))
    )
    with op.batch_alter_table('evaluation_events', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_events_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_evaluation_events_round_id'), ['round_id'], unique=False)

    op.create_table('honour_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=True),
    sa.Column('hours', sa.Numeric(precision=9, scale=1), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_honour_items_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['notice_id'], ['honour_notices.id'], name=op.f('fk_honour_items_notice_id_honour_notices')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_honour_items_volunteer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_items'))
    )
    with op.batch_alter_table('honour_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honour_items_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honour_items_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('honour_notice_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_honour_notice_events_actor_id_users')),
    sa.ForeignKeyConstraint(['notice_id'], ['honour_notices.id'], name=op.f('fk_honour_notice_events_notice_id_honour_notices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_notice_events'))
    )
    with op.batch_alter_table('honour_notice_events', schema=None) as batch_op:
        batch_op.create_index('ix_honour_notice_events_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_honour_notice_events_notice_id'), ['notice_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('body', sa.String(length=300), nullable=False),
    sa.Column('params', sa.JSON(), nullable=True),
    sa.Column('url', sa.String(length=200), nullable=True),
    sa.Column('wish_id', sa.Integer(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_notifications_wish_id_wishes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'read_at', 'id'], unique=False)
        batch_op.create_index('ix_notifications_wish', ['wish_id', 'id'], unique=False)

    op.create_table('pairing_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_pairing_events_actor_id_users')),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_pairing_events_pairing_id_pairings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_events'))
    )
    with op.batch_alter_table('pairing_events', schema=None) as batch_op:
        batch_op.create_index('ix_pairing_events_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_pairing_events_pairing_id'), ['pairing_id'], unique=False)

    op.create_table('project_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_project_events_actor_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_events_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_events'))
    )
    with op.batch_alter_table('project_events', schema=None) as batch_op:
        batch_op.create_index('ix_project_events_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_project_events_project_id'), ['project_id'], unique=False)

    op.create_table('project_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.Column('server_capacity', sa.Integer(), nullable=False),
    sa.Column('servers_taken', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lat', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('lng', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('fence_m', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('servers_taken >= 0 AND servers_taken <= server_capacity', name=op.f('ck_project_sessions_servers_within_capacity')),
    sa.CheckConstraint('taken >= 0 AND taken <= capacity', name=op.f('ck_project_sessions_session_within_capacity')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_sessions_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_sessions'))
    )
    with op.batch_alter_table('project_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_sessions_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index('ix_project_sessions_when', ['project_id', 'starts_at'], unique=False)

    op.create_table('resource_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_resource_closures_resource_id_resources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_closures')),
    sa.UniqueConstraint('resource_id', 'day', name=op.f('uq_resource_closures_resource_id_day'))
    )
    with op.batch_alter_table('resource_closures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_closures_resource_id'), ['resource_id'], unique=False)

    op.create_table('resource_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start', sa.String(length=5), nullable=False),
    sa.Column('end', sa.String(length=5), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_resource_slots_slot_capacity_positive')),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_resource_slots_resource_id_resources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_slots')),
    sa.UniqueConstraint('resource_id', 'weekday', 'start', name=op.f('uq_resource_slots_resource_id_weekday_start'))
    )
    with op.batch_alter_table('resource_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_slots_resource_id'), ['resource_id'], unique=False)

    op.create_table('shop_exchanges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('goods_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Numeric(precision=9, scale=1), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_shop_exchanges_community_id_orgs')),
    sa.ForeignKeyConstraint(['goods_id'], ['shop_goods.id'], name=op.f('fk_shop_exchanges_goods_id_shop_goods')),
    sa.ForeignKeyConstraint(['handed_by_id'], ['users.id'], name=op.f('fk_shop_exchanges_handed_by_id_users')),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_shop_exchanges_member_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_exchanges'))
    )
    with op.batch_alter_table('shop_exchanges', schema=None) as batch_op:
        batch_op.create_index('ix_shop_exchange_member', ['member_id', 'community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_exchanges_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_exchanges_goods_id'), ['goods_id'], unique=False)
        batch_op.create_index('ix_shop_exchanges_handed_by_id', ['handed_by_id'], unique=False, sqlite_where=sa.text('handed_by_id IS NOT NULL'), postgresql_where=sa.text('handed_by_id IS NOT NULL'))

    op.create_table('shop_goods_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goods_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_shop_goods_events_actor_id_users')),
    sa.ForeignKeyConstraint(['goods_id'], ['shop_goods.id'], name=op.f('fk_shop_goods_events_goods_id_shop_goods')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_goods_events'))
    )
    with op.batch_alter_table('shop_goods_events', schema=None) as batch_op:
        batch_op.create_index('ix_shop_goods_events_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_shop_goods_events_goods_id'), ['goods_id'], unique=False)

    op.create_table('unit_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('community_answers', sa.JSON(), nullable=False),
    sa.Column('unit_answers', sa.JSON(), nullable=False),
    sa.Column('unit_comment', sa.String(length=500), nullable=False),
    sa.Column('report_text', sa.Text(), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('grade', sa.String(length=12), nullable=True),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['evaluation_rounds.id'], name=op.f('fk_unit_evaluations_round_id_evaluation_rounds')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_evaluations_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_evaluations')),
    sa.UniqueConstraint('round_id', 'unit_id', name=op.f('uq_unit_evaluations_round_id_unit_id'))
    )
    with op.batch_alter_table('unit_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_evaluations_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_evaluations_unit_id'), ['unit_id'], unique=False)

    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('needs', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_visits_community_id_orgs')),
    sa.ForeignKeyConstraint(['grid_id'], ['orgs.id'], name=op.f('fk_visits_grid_id_orgs')),
    sa.ForeignKeyConstraint(['household_id'], ['users.id'], name=op.f('fk_visits_household_id_users')),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_visits_member_id_users')),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_visits_pairing_id_pairings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_visits_household_day', ['household_id', 'visited_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_pairing_id'), ['pairing_id'], unique=False)

    op.create_table('wish_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_wish_events_actor_id_users')),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_wish_events_wish_id_wishes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wish_events'))
    )
    with op.batch_alter_table('wish_events', schema=None) as batch_op:
        batch_op.create_index('ix_wish_events_actor', ['actor_id', 'action', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_events_wish_id'), ['wish_id'], unique=False)

    op.create_table('honour_objections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('contact', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['honour_items.id'], name=op.f('fk_honour_objections_item_id_honour_items')),
    sa.ForeignKeyConstraint(['notice_id'], ['honour_notices.id'], name=op.f('fk_honour_objections_notice_id_honour_notices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_objections'))
    )
    with op.batch_alter_table('honour_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honour_objections_notice_id'), ['notice_id'], unique=False)

    op.create_table('push_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('leased_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_owner', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('channel', sa.String(length=8), server_default='push', nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('template', sa.String(length=40), nullable=True),
    sa.Column('params', sa.JSON(), nullable=True),
    sa.Column('attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('provider_ref', sa.String(length=64), nullable=True),
    sa.Column('delivery', sa.String(length=12), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('receipt_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('receipt_next_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_push_outbox_notification_id_notifications')),
    sa.ForeignKeyConstraint(['subscription_id'], ['push_subscriptions.id'], name=op.f('fk_push_outbox_subscription_id_push_subscriptions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_outbox'))
    )
    with op.batch_alter_table('push_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_outbox_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_push_outbox_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_outbox_notification_id'), ['notification_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_outbox_provider_ref'), ['provider_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_outbox_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=True),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_reminders_claim_id_claims')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminders_user_id_users')),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_reminders_wish_id_wishes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('key', name=op.f('uq_reminders_key'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index('ix_reminders_due', ['fired_at', 'cancelled_at', 'due_at'], unique=False)
        batch_op.create_index('ix_reminders_user_id', ['user_id'], unique=False, sqlite_where=sa.text('user_id IS NOT NULL'), postgresql_where=sa.text('user_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_reminders_wish_id'), ['wish_id'], unique=False)

    op.create_table('service_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=True),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('service_date', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirm_note', sa.String(length=300), nullable=True),
    sa.Column('approval', sa.String(length=10), nullable=False),
    sa.Column('basis', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_service_records_category_id_categories')),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_service_records_claim_id_claims')),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_service_records_community_id_orgs')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_service_records_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['grid_id'], ['orgs.id'], name=op.f('fk_service_records_grid_id_orgs')),
    sa.ForeignKeyConstraint(['session_id'], ['project_sessions.id'], name=op.f('fk_service_records_session_id_project_sessions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_service_records_unit_id_units')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_service_records_volunteer_id_users')),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_service_records_wish_id_wishes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_records')),
    sa.UniqueConstraint('claim_id', name=op.f('uq_service_records_claim_id')),
    sa.UniqueConstraint('session_id', 'volunteer_id', name=op.f('uq_service_records_session_id_volunteer_id'))
    )
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_records_approval'), ['approval'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_records_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_service_records_confirmed_by_id', ['confirmed_by_id'], unique=False, sqlite_where=sa.text('confirmed_by_id IS NOT NULL'), postgresql_where=sa.text('confirmed_by_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_service_records_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_records_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('ix_service_records_volunteer_date', ['volunteer_id', 'service_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_records_wish_id'), ['wish_id'], unique=False)

    op.create_table('session_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('live', sa.Boolean(), nullable=True),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checkin_method', sa.String(length=10), nullable=True),
    sa.Column('checked_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_out_by_id', sa.Integer(), nullable=True),
    sa.Column('auto_closed', sa.Boolean(), nullable=False),
    sa.Column('presence_hours', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('absent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('walk_in', sa.Boolean(), nullable=False),
    sa.Column('in_distance_m', sa.Integer(), nullable=True),
    sa.Column('in_fence', sa.Boolean(), nullable=True),
    sa.Column('out_distance_m', sa.Integer(), nullable=True),
    sa.Column('out_fence', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['users.id'], name=op.f('fk_session_signups_checked_in_by_id_users')),
    sa.ForeignKeyConstraint(['checked_out_by_id'], ['users.id'], name=op.f('fk_session_signups_checked_out_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['project_sessions.id'], name=op.f('fk_session_signups_session_id_project_sessions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_session_signups_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_signups')),
    sa.UniqueConstraint('session_id', 'user_id', 'live', name=op.f('uq_session_signups_session_id_user_id_live'))
    )
    with op.batch_alter_table('session_signups', schema=None) as batch_op:
        batch_op.create_index('ix_session_signups_checked_in_by_id', ['checked_in_by_id'], unique=False, sqlite_where=sa.text('checked_in_by_id IS NOT NULL'), postgresql_where=sa.text('checked_in_by_id IS NOT NULL'))
        batch_op.create_index('ix_session_signups_checked_out_by_id', ['checked_out_by_id'], unique=False, sqlite_where=sa.text('checked_out_by_id IS NOT NULL'), postgresql_where=sa.text('checked_out_by_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_session_signups_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_signups_user', ['user_id'], unique=False)

    op.create_table('shop_exchange_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=True),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_shop_exchange_events_actor_id_users')),
    sa.ForeignKeyConstraint(['exchange_id'], ['shop_exchanges.id'], name=op.f('fk_shop_exchange_events_exchange_id_shop_exchanges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_exchange_events'))
    )
    with op.batch_alter_table('shop_exchange_events', schema=None) as batch_op:
        batch_op.create_index('ix_shop_exchange_events_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_shop_exchange_events_exchange_id'), ['exchange_id'], unique=False)

    op.create_table('slot_uses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.CheckConstraint('taken >= 0 AND taken <= capacity', name=op.f('ck_slot_uses_use_within_capacity')),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_slot_uses_resource_id_resources')),
    sa.ForeignKeyConstraint(['slot_id'], ['resource_slots.id'], name=op.f('fk_slot_uses_slot_id_resource_slots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slot_uses')),
    sa.UniqueConstraint('slot_id', 'day', name=op.f('uq_slot_uses_slot_id_day'))
    )
    with op.batch_alter_table('slot_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slot_uses_resource_id'), ['resource_id'], unique=False)

    op.create_table('visit_wishes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=False),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_visit_wishes_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_wishes_visit_id_visits')),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_visit_wishes_wish_id_wishes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_wishes')),
    sa.UniqueConstraint('wish_id', name=op.f('uq_visit_wishes_wish_id'))
    )
    with op.batch_alter_table('visit_wishes', schema=None) as batch_op:
        batch_op.create_index('ix_visit_wishes_recorded_by_id', ['recorded_by_id'], unique=False, sqlite_where=None, postgresql_where=None)
        batch_op.create_index(batch_op.f('ix_visit_wishes_visit_id'), ['visit_id'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('use_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('live', sa.Boolean(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('comment', sa.String(length=300), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_bookings_booked_by_id_users')),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_bookings_resource_id_resources')),
    sa.ForeignKeyConstraint(['use_id'], ['slot_uses.id'], name=op.f('fk_bookings_use_id_slot_uses')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bookings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('use_id', 'user_id', 'live', name=op.f('uq_bookings_use_id_user_id_live'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_booked_by_id', ['booked_by_id'], unique=False, sqlite_where=None, postgresql_where=None)
        batch_op.create_index(batch_op.f('ix_bookings_resource_id'), ['resource_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_use_id'), ['use_id'], unique=False)
        batch_op.create_index('ix_bookings_user_status', ['user_id', 'status'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('wish_id', sa.Integer(), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('service_date', sa.DateTime(timezone=True), nullable=False),
    sa.Column('service_month', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=7, scale=1), nullable=False),
    sa.Column('points', sa.Numeric(precision=9, scale=1), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('basis', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_ledger_entries_actor_id_users')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_ledger_entries_category_id_categories')),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_ledger_entries_community_id_orgs')),
    sa.ForeignKeyConstraint(['grid_id'], ['orgs.id'], name=op.f('fk_ledger_entries_grid_id_orgs')),
    sa.ForeignKeyConstraint(['record_id'], ['service_records.id'], name=op.f('fk_ledger_entries_record_id_service_records')),
    sa.ForeignKeyConstraint(['reverses_id'], ['ledger_entries.id'], name=op.f('fk_ledger_entries_reverses_id_ledger_entries')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_ledger_entries_unit_id_units')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_ledger_entries_volunteer_id_users')),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_ledger_entries_wish_id_wishes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('community_id', 'seq', name=op.f('uq_ledger_entries_community_id_seq'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_ledger_entries_record_id'), ['record_id'], unique=False)
        batch_op.create_index('ix_ledger_reverses', ['reverses_id'], unique=False)
        batch_op.create_index('ix_ledger_tally', ['community_id', 'service_month', 'volunteer_id', 'kind', 'hours', 'points', 'unit_id', 'grid_id', 'category_id'], unique=False)
        batch_op.create_index('ix_ledger_unit', ['unit_id'], unique=False)
        batch_op.create_index('ix_ledger_volunteer', ['volunteer_id'], unique=False)
        batch_op.create_index('ix_ledger_wish', ['wish_id'], unique=False)

    op.create_table('record_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_record_reviews_actor_id_users')),
    sa.ForeignKeyConstraint(['record_id'], ['service_records.id'], name=op.f('fk_record_reviews_record_id_service_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_reviews'))
    )
    with op.batch_alter_table('record_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_record_reviews_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_record_reviews_record_id'), ['record_id'], unique=False)

    op.create_table('booking_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_booking_events_actor_id_users')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_events_booking_id_bookings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_events'))
    )
    with op.batch_alter_table('booking_events', schema=None) as batch_op:
        batch_op.create_index('ix_booking_events_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_booking_events_booking_id'), ['booking_id'], unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=10), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('photo_type', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_answer_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_complaints_answered_by_id_users')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_complaints_author_id_users')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_complaints_booking_id_bookings')),
    sa.ForeignKeyConstraint(['community_id'], ['orgs.id'], name=op.f('fk_complaints_community_id_orgs')),
    sa.ForeignKeyConstraint(['session_id'], ['project_sessions.id'], name=op.f('fk_complaints_session_id_project_sessions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_complaints_unit_id_units')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_complaints_visit_id_visits')),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_complaints_wish_id_wishes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_answered_by_id', ['answered_by_id'], unique=False, sqlite_where=sa.text('answered_by_id IS NOT NULL'), postgresql_where=sa.text('answered_by_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_complaints_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index('ix_complaints_community', ['community_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_visit_id'), ['visit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_wish_id'), ['wish_id'], unique=False)

    op.create_table('disclosures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('pairing_id', sa.Integer(), nullable=True),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_disclosures_booking_id_bookings')),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_disclosures_pairing_id_pairings')),
    sa.ForeignKeyConstraint(['resident_id'], ['users.id'], name=op.f('fk_disclosures_resident_id_users')),
    sa.ForeignKeyConstraint(['viewer_id'], ['users.id'], name=op.f('fk_disclosures_viewer_id_users')),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_disclosures_wish_id_wishes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosures'))
    )
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosures_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disclosures_pairing_id'), ['pairing_id'], unique=False)
        batch_op.create_index('ix_disclosures_resident_id', ['resident_id'], unique=False, sqlite_where=None, postgresql_where=None)
        batch_op.create_index(batch_op.f('ix_disclosures_viewer_id'), ['viewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disclosures_wish_id'), ['wish_id'], unique=False)

    op.create_table('complaint_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_complaint_events_actor_id_users')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_events_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_events'))
    )
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_events_actor_id', ['actor_id'], unique=False, sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_complaint_events_complaint_id'), ['complaint_id'], unique=False)

    # ### end Alembic commands ###
    for statement in SEARCH_DDL.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in SEARCH_DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_events_complaint_id'))
        batch_op.drop_index('ix_complaint_events_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('complaint_events')
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disclosures_wish_id'))
        batch_op.drop_index(batch_op.f('ix_disclosures_viewer_id'))
        batch_op.drop_index('ix_disclosures_resident_id', sqlite_where=None, postgresql_where=None)
        batch_op.drop_index(batch_op.f('ix_disclosures_pairing_id'))
        batch_op.drop_index(batch_op.f('ix_disclosures_booking_id'))

    op.drop_table('disclosures')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_wish_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_visit_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_unit_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_session_id'))
        batch_op.drop_index('ix_complaints_community')
        batch_op.drop_index(batch_op.f('ix_complaints_booking_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_author_id'))
        batch_op.drop_index('ix_complaints_answered_by_id', sqlite_where=sa.text('answered_by_id IS NOT NULL'), postgresql_where=sa.text('answered_by_id IS NOT NULL'))

    op.drop_table('complaints')
    with op.batch_alter_table('booking_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_events_booking_id'))
        batch_op.drop_index('ix_booking_events_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('booking_events')
    with op.batch_alter_table('record_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_reviews_record_id'))
        batch_op.drop_index('ix_record_reviews_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('record_reviews')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_wish')
        batch_op.drop_index('ix_ledger_volunteer')
        batch_op.drop_index('ix_ledger_unit')
        batch_op.drop_index('ix_ledger_tally')
        batch_op.drop_index('ix_ledger_reverses')
        batch_op.drop_index(batch_op.f('ix_ledger_entries_record_id'))
        batch_op.drop_index('ix_ledger_entries_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('ledger_entries')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_user_status')
        batch_op.drop_index(batch_op.f('ix_bookings_use_id'))
        batch_op.drop_index(batch_op.f('ix_bookings_resource_id'))
        batch_op.drop_index('ix_bookings_booked_by_id', sqlite_where=None, postgresql_where=None)

    op.drop_table('bookings')
    with op.batch_alter_table('visit_wishes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_wishes_visit_id'))
        batch_op.drop_index('ix_visit_wishes_recorded_by_id', sqlite_where=None, postgresql_where=None)

    op.drop_table('visit_wishes')
    with op.batch_alter_table('slot_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slot_uses_resource_id'))

    op.drop_table('slot_uses')
    with op.batch_alter_table('shop_exchange_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_exchange_events_exchange_id'))
        batch_op.drop_index('ix_shop_exchange_events_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('shop_exchange_events')
    with op.batch_alter_table('session_signups', schema=None) as batch_op:
        batch_op.drop_index('ix_signups_user')
        batch_op.drop_index(batch_op.f('ix_session_signups_session_id'))
        batch_op.drop_index('ix_session_signups_checked_out_by_id', sqlite_where=sa.text('checked_out_by_id IS NOT NULL'), postgresql_where=sa.text('checked_out_by_id IS NOT NULL'))
        batch_op.drop_index('ix_session_signups_checked_in_by_id', sqlite_where=sa.text('checked_in_by_id IS NOT NULL'), postgresql_where=sa.text('checked_in_by_id IS NOT NULL'))

    op.drop_table('session_signups')
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_records_wish_id'))
        batch_op.drop_index('ix_service_records_volunteer_date')
        batch_op.drop_index(batch_op.f('ix_service_records_unit_id'))
        batch_op.drop_index(batch_op.f('ix_service_records_session_id'))
        batch_op.drop_index('ix_service_records_confirmed_by_id', sqlite_where=sa.text('confirmed_by_id IS NOT NULL'), postgresql_where=sa.text('confirmed_by_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_service_records_community_id'))
        batch_op.drop_index(batch_op.f('ix_service_records_approval'))

    op.drop_table('service_records')
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_wish_id'))
        batch_op.drop_index('ix_reminders_user_id', sqlite_where=sa.text('user_id IS NOT NULL'), postgresql_where=sa.text('user_id IS NOT NULL'))
        batch_op.drop_index('ix_reminders_due')
        batch_op.drop_index(batch_op.f('ix_reminders_claim_id'))

    op.drop_table('reminders')
    with op.batch_alter_table('push_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_outbox_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_push_outbox_provider_ref'))
        batch_op.drop_index(batch_op.f('ix_push_outbox_notification_id'))
        batch_op.drop_index('ix_push_outbox_due')
        batch_op.drop_index(batch_op.f('ix_push_outbox_community_id'))

    op.drop_table('push_outbox')
    with op.batch_alter_table('honour_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honour_objections_notice_id'))

    op.drop_table('honour_objections')
    with op.batch_alter_table('wish_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wish_events_wish_id'))
        batch_op.drop_index('ix_wish_events_actor')

    op.drop_table('wish_events')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_pairing_id'))
        batch_op.drop_index(batch_op.f('ix_visits_member_id'))
        batch_op.drop_index('ix_visits_household_day')
        batch_op.drop_index(batch_op.f('ix_visits_community_id'))

    op.drop_table('visits')
    with op.batch_alter_table('unit_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_evaluations_unit_id'))
        batch_op.drop_index(batch_op.f('ix_unit_evaluations_round_id'))

    op.drop_table('unit_evaluations')
    with op.batch_alter_table('shop_goods_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_goods_events_goods_id'))
        batch_op.drop_index('ix_shop_goods_events_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('shop_goods_events')
    with op.batch_alter_table('shop_exchanges', schema=None) as batch_op:
        batch_op.drop_index('ix_shop_exchanges_handed_by_id', sqlite_where=sa.text('handed_by_id IS NOT NULL'), postgresql_where=sa.text('handed_by_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_shop_exchanges_goods_id'))
        batch_op.drop_index(batch_op.f('ix_shop_exchanges_community_id'))
        batch_op.drop_index('ix_shop_exchange_member')

    op.drop_table('shop_exchanges')
    with op.batch_alter_table('resource_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_slots_resource_id'))

    op.drop_table('resource_slots')
    with op.batch_alter_table('resource_closures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_closures_resource_id'))

    op.drop_table('resource_closures')
    with op.batch_alter_table('project_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_project_sessions_when')
        batch_op.drop_index(batch_op.f('ix_project_sessions_closed_at'))

    op.drop_table('project_sessions')
    with op.batch_alter_table('project_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_events_project_id'))
        batch_op.drop_index('ix_project_events_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('project_events')
    with op.batch_alter_table('pairing_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairing_events_pairing_id'))
        batch_op.drop_index('ix_pairing_events_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('pairing_events')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_wish')
        batch_op.drop_index('ix_notifications_user_unread')

    op.drop_table('notifications')
    with op.batch_alter_table('honour_notice_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honour_notice_events_notice_id'))
        batch_op.drop_index('ix_honour_notice_events_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('honour_notice_events')
    with op.batch_alter_table('honour_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honour_items_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_honour_items_notice_id'))

    op.drop_table('honour_items')
    with op.batch_alter_table('evaluation_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_events_round_id'))
        batch_op.drop_index('ix_evaluation_events_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('evaluation_events')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_wish_id'))
        batch_op.drop_index(batch_op.f('ix_claims_volunteer_id'))
        batch_op.drop_index('ix_claims_unit_status')
        batch_op.drop_index(batch_op.f('ix_claims_status'))
        batch_op.drop_index('ix_claims_claimed_by_id', sqlite_where=None, postgresql_where=None)

    op.drop_table('claims')
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.drop_index('ix_wishes_staff_status')
        batch_op.drop_index('ix_wishes_staff')
        batch_op.drop_index(batch_op.f('ix_wishes_resident_id'))
        batch_op.drop_index('ix_wishes_published')
        batch_op.drop_index(batch_op.f('ix_wishes_posted_by_id'))
        batch_op.drop_index('ix_wishes_open_times')
        batch_op.drop_index('ix_wishes_menu')
        batch_op.drop_index('ix_wishes_grid_status')
        batch_op.drop_index('ix_wishes_done')
        batch_op.drop_index(batch_op.f('ix_wishes_category_id'))
        batch_op.drop_index(batch_op.f('ix_wishes_building_id'))

    op.drop_table('wishes')
    with op.batch_alter_table('wechat_bindings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wechat_bindings_user_id'))

    op.drop_table('wechat_bindings')
    with op.batch_alter_table('signin_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_codes_user_id'))
        batch_op.drop_index(batch_op.f('ix_signin_codes_phone'))
        batch_op.drop_index(batch_op.f('ix_signin_codes_code_hash'))

    op.drop_table('signin_codes')
    with op.batch_alter_table('shop_lapses', schema=None) as batch_op:
        batch_op.drop_index('ix_shop_lapses_when')
        batch_op.drop_index('ix_shop_lapses_member_id', sqlite_where=None, postgresql_where=None)

    op.drop_table('shop_lapses')
    with op.batch_alter_table('shop_goods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_goods_unit_id'))
        batch_op.drop_index('ix_shop_goods_offered_by_id', sqlite_where=sa.text('offered_by_id IS NOT NULL'), postgresql_where=sa.text('offered_by_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_shop_goods_community_id'))

    op.drop_table('shop_goods')
    with op.batch_alter_table('shop_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_accounts_valid_until'))
        batch_op.drop_index('ix_shop_accounts_member_id', sqlite_where=None, postgresql_where=None)

    op.drop_table('shop_accounts')
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grants_user_id'))
        batch_op.drop_index('ix_role_grants_unit')
        batch_op.drop_index('ix_role_grants_org_role')
        batch_op.drop_index('ix_role_grants_granted_by_id', sqlite_where=sa.text('granted_by_id IS NOT NULL'), postgresql_where=sa.text('granted_by_id IS NOT NULL'))

    op.drop_table('role_grants')
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resources_unit_id'))
        batch_op.drop_index('ix_resources_created_by_id', sqlite_where=None, postgresql_where=None)
        batch_op.drop_index(batch_op.f('ix_resources_community_id'))

    op.drop_table('resources')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registrations_user_id'))
        batch_op.drop_index(batch_op.f('ix_registrations_status'))
        batch_op.drop_index('ix_registrations_decided_by_id', sqlite_where=sa.text('decided_by_id IS NOT NULL'), postgresql_where=sa.text('decided_by_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_registrations_community_id'))

    op.drop_table('registrations')
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_user_id'))

    op.drop_table('push_subscriptions')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_unit_signed_by_id', sqlite_where=sa.text('unit_signed_by_id IS NOT NULL'), postgresql_where=sa.text('unit_signed_by_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_projects_unit_id'))
        batch_op.drop_index(batch_op.f('ix_projects_status'))
        batch_op.drop_index('ix_projects_responsible_id', sqlite_where=sa.text('responsible_id IS NOT NULL'), postgresql_where=sa.text('responsible_id IS NOT NULL'))
        batch_op.drop_index('ix_projects_created_by_id', sqlite_where=None, postgresql_where=None)
        batch_op.drop_index('ix_projects_community_signed_by_id', sqlite_where=sa.text('community_signed_by_id IS NOT NULL'), postgresql_where=sa.text('community_signed_by_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_projects_community_id'))

    op.drop_table('projects')
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.drop_index('ix_pairings_member_status')
        batch_op.drop_index(batch_op.f('ix_pairings_household_id'))
        batch_op.drop_index('ix_pairings_creator')
        batch_op.drop_index(batch_op.f('ix_pairings_community_id'))

    op.drop_table('pairings')
    op.drop_table('notification_preferences')
    with op.batch_alter_table('ledger_totals', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_totals_volunteer_id', sqlite_where=None, postgresql_where=None)
        batch_op.drop_index('ix_ledger_totals_rank')

    op.drop_table('ledger_totals')
    with op.batch_alter_table('ledger_services', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_services_volunteer_id', sqlite_where=None, postgresql_where=None)

    op.drop_table('ledger_services')
    with op.batch_alter_table('ledger_points', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_points_volunteer_id', sqlite_where=None, postgresql_where=None)
        batch_op.drop_index('ix_ledger_points_month')

    op.drop_table('ledger_points')
    with op.batch_alter_table('ledger_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_checks_requested_by_id', sqlite_where=sa.text('requested_by_id IS NOT NULL'), postgresql_where=sa.text('requested_by_id IS NOT NULL'))

    op.drop_table('ledger_checks')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index('ix_invitations_user_status')
        batch_op.drop_index('ix_invitations_invited_by_id', sqlite_where=sa.text('invited_by_id IS NOT NULL'), postgresql_where=sa.text('invited_by_id IS NOT NULL'))

    op.drop_table('invitations')
    with op.batch_alter_table('insurance_policies', schema=None) as batch_op:
        batch_op.drop_index('ix_insurance_policies_recorded_by_id', sqlite_where=None, postgresql_where=None)
        batch_op.drop_index(batch_op.f('ix_insurance_policies_community_id'))
        batch_op.drop_index('ix_insurance_cover')

    op.drop_table('insurance_policies')
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_import_jobs_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_import_jobs_org_id'))

    op.drop_table('import_jobs')
    with op.batch_alter_table('honour_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honour_notices_status'))
        batch_op.drop_index('ix_honour_notices_created_by_id', sqlite_where=None, postgresql_where=None)
        batch_op.drop_index(batch_op.f('ix_honour_notices_community_id'))

    op.drop_table('honour_notices')
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_export_jobs_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_export_jobs_community_id'))

    op.drop_table('export_jobs')
    with op.batch_alter_table('evaluation_rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_rounds_opened_by_id', sqlite_where=None, postgresql_where=None)
        batch_op.drop_index(batch_op.f('ix_evaluation_rounds_community_id'))

    op.drop_table('evaluation_rounds')
    with op.batch_alter_table('community_seals', schema=None) as batch_op:
        batch_op.drop_index('ix_community_seals_uploaded_by_id', sqlite_where=None, postgresql_where=None)

    op.drop_table('community_seals')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_volunteer_id'))
        batch_op.drop_index('ix_certificates_revoked_by_id', sqlite_where=sa.text('revoked_by_id IS NOT NULL'), postgresql_where=sa.text('revoked_by_id IS NOT NULL'))
        batch_op.drop_index('ix_certificates_issued_by_id', sqlite_where=None, postgresql_where=None)
        batch_op.drop_index(batch_op.f('ix_certificates_community_id'))

    op.drop_table('certificates')
    with op.batch_alter_table('care_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_care_tags_set_by_id', sqlite_where=None, postgresql_where=None)
        batch_op.drop_index(batch_op.f('ix_care_tags_household_id'))
        batch_op.drop_index(batch_op.f('ix_care_tags_community_id'))

    op.drop_table('care_tags')
    op.drop_table('calendar_feeds')
    op.drop_table('board_consents')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('admin_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_log_target_user_id'))
        batch_op.drop_index('ix_admin_log_street_at')
        batch_op.drop_index(batch_op.f('ix_admin_log_kind'))
        batch_op.drop_index('ix_admin_log_community_at')
        batch_op.drop_index('ix_admin_log_actor_id', sqlite_where=sa.text('actor_id IS NOT NULL'), postgresql_where=sa.text('actor_id IS NOT NULL'))

    op.drop_table('admin_log')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_unit_id'))
        batch_op.drop_index('ix_users_unit_confirmed_by_id', sqlite_where=sa.text('unit_confirmed_by_id IS NOT NULL'), postgresql_where=sa.text('unit_confirmed_by_id IS NOT NULL'))
        batch_op.drop_index('ix_users_sms_contact_by_id', sqlite_where=sa.text('sms_contact_by_id IS NOT NULL'), postgresql_where=sa.text('sms_contact_by_id IS NOT NULL'))
        batch_op.drop_index('ix_users_community_name')
        batch_op.drop_index('ix_users_community_activation')
        batch_op.drop_index('ix_users_building_id')

    op.drop_table('users')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_community_id'))

    op.drop_table('units')
    op.drop_table('ledger_months')
    op.drop_table('ledger_chains')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_categories_community_id'))

    op.drop_table('categories')
    op.drop_table('building_visits')
    op.drop_table('wechat_cache')
    with op.batch_alter_table('orgs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orgs_street_id'))
        batch_op.drop_index(batch_op.f('ix_orgs_parent_id'))
        batch_op.drop_index(batch_op.f('ix_orgs_kind'))
        batch_op.drop_index(batch_op.f('ix_orgs_grid_id'))
        batch_op.drop_index(batch_op.f('ix_orgs_community_id'))

    op.drop_table('orgs')
    op.drop_table('job_leases')
    # ### end Alembic commands ###
