// Baseline for bench:http: a bare Bun.serve answering GET /boxes/{boxNo} with the same
// two statements the API runs, through postgres.js, with no framework around it.
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });

Bun.serve({
  port: Number(process.env.PORT),
  hostname: "127.0.0.1",
  async fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/ready") return Response.json({ status: "ok" });
    const boxNo = Number(path.split("/").pop());
    const [box] = await sql`
      select box_no, description, capacity, designated_type_id, created_at, updated_at,
        (select count(*)::int from locations l where l.box_no = b.box_no and l.part_id is not null) as occupied
      from boxes b where box_no = ${boxNo}`;
    if (!box) return Response.json({ status: 404 }, { status: 404 });
    const slots = await sql`
      select l.loc_no, l.qty, p.id, p.description, p.manufacturer_code
      from locations l left join parts p on p.id = l.part_id
      where l.box_no = ${boxNo} order by l.loc_no`;
    return Response.json({
      boxNo: box.box_no,
      description: box.description,
      capacity: box.capacity,
      designatedTypeId: box.designated_type_id,
      occupied: box.occupied,
      free: box.capacity - box.occupied,
      usagePercent: Math.round((box.occupied / box.capacity) * 1000) / 10,
      createdAt: box.created_at.toISOString(),
      updatedAt: box.updated_at.toISOString(),
      locations: slots.map((s) => ({
        locNo: s.loc_no,
        code: `${boxNo}-${s.loc_no}`,
        part: s.id
          ? {
              id: s.id,
              description: s.description,
              manufacturerCode: s.manufacturer_code,
              qty: s.qty,
            }
          : null,
      })),
    });
  },
});
