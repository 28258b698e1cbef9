"""A TCP relay: the S3 address the portal is given, passed on to moto_server.

moto_server keeps its bucket in memory, so the trial cannot stop it without losing every file. It stops this
relay instead: to the portal the S3 service is then away exactly as a stopped MinIO is (connections refused),
and the files are there again when the relay is back.

    python -m benchmarks.cluster.relay LISTEN_PORT TARGET_PORT
"""

import asyncio
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main(listen_port, target_port):
    async def relay(client_reader, client_writer):
        try:
            target_reader, target_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, target_writer), pipe(target_reader, client_writer))

    server = await asyncio.start_server(relay, "127.0.0.1", listen_port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
