from alegra_sync.cli.app import main

main()
